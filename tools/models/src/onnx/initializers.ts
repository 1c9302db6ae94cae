import { onnx } from './graph-builder';

/** A float32 initializer's values (a copy) and dims, or undefined for anything else. */
export function float32Initializer(
  t: onnx.ITensorProto | undefined,
): { values: Float32Array; dims: number[] } | undefined {
  if (t?.dataType !== onnx.TensorProto.DataType.FLOAT) return undefined;
  const raw = t.rawData;
  // A copy: rawData may sit at an offset that is not 4-aligned inside a decoded model.
  const values = raw?.byteLength
    ? new Float32Array(Uint8Array.from(raw).buffer)
    : Float32Array.from(t.floatData ?? []);
  return { values, dims: (t.dims ?? []).map(Number) };
}

/**
 * An int64 initializer's values as numbers, or undefined for anything else. INT64_MAX and its
 * negative (a Slice's "to the end") become ±2³¹, beyond any axis once clamped.
 */
export function int64Initializer(t: onnx.ITensorProto | undefined): number[] | undefined {
  if (t?.dataType !== onnx.TensorProto.DataType.INT64 || !t.rawData) return undefined;
  const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
  const limit = 2n ** 31n;
  return Array.from({ length: t.rawData.byteLength / 8 }, (_, i) => {
    const v = view.getBigInt64(i * 8, true);
    return v > limit ? 2 ** 31 : v < -limit ? -(2 ** 31) : Number(v);
  });
}

/** A float32 initializer holding `values`. */
export function float32Tensor(
  name: string,
  dims: readonly number[],
  values: Float32Array,
): onnx.ITensorProto {
  return {
    name,
    dims: [...dims],
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}
