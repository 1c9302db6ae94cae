import * as ort from 'onnxruntime-node';

export interface ImageTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/**
 * Runs an image model (`input` -> `output`, NCHW float32) once on onnxruntime-node's CPU EP.
 * The session is released afterwards: the upscalers are large and the tests run many.
 */
export async function runImageModel(
  model: string | Uint8Array,
  input: ImageTensor,
): Promise<ImageTensor> {
  const session =
    typeof model === 'string'
      ? await ort.InferenceSession.create(model)
      : await ort.InferenceSession.create(model);
  try {
    const { output } = await session.run({
      input: new ort.Tensor('float32', input.data, [...input.dims]),
    });
    if (!output) throw new Error('model returned no `output`');
    return { data: output.data as Float32Array, dims: output.dims };
  } finally {
    await session.release();
  }
}
