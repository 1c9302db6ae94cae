/** A conv weight in ONNX layout with its dims [out, in, kernelH, kernelW]. */
export interface OihwKernel {
  readonly data: Float32Array;
  readonly dims: readonly [number, number, number, number];
}

/** Keras stores conv kernels HWIO; ONNX Conv wants OIHW. */
export function hwioToOihw(data: Float32Array, shape: readonly number[]): OihwKernel {
  const [kh, kw, ci, co] = shape as [number, number, number, number];
  if (shape.length !== 4 || data.length !== kh * kw * ci * co)
    throw new Error(`bad HWIO shape ${shape}`);
  const out = new Float32Array(data.length);
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          out[((o * ci + i) * kh + h) * kw + w] = data[((h * kw + w) * ci + i) * co + o]!;
  return { data: out, dims: [co, ci, kh, kw] };
}
