/** Element types the MAXIM graphs compute with at conversion time. */
export type HostDtype = 'float32' | 'int32' | 'bool';

type HostData = Float32Array | Int32Array | Uint8Array;

/**
 * A tensor whose value is known while converting: a Const node, or a node whose inputs are all
 * known (shape arithmetic once the input size is fixed). Float32 data lives in a Float32Array,
 * so every folded op rounds its result to float32 as TensorFlow does.
 */
export interface HostTensor {
  readonly dtype: HostDtype;
  readonly shape: readonly number[];
  readonly data: HostData;
}

export const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function hostTensor(
  dtype: HostDtype,
  shape: readonly number[],
  data: ArrayLike<number>,
): HostTensor {
  if (data.length !== sizeOf(shape))
    throw new Error(`${data.length} values for shape [${shape.join(', ')}]`);
  const typed =
    dtype === 'float32'
      ? Float32Array.from(data)
      : dtype === 'int32'
        ? Int32Array.from(data)
        : Uint8Array.from(data, (v) => (v ? 1 : 0));
  return { dtype, shape: [...shape], data: typed };
}

/** Row-major strides. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  for (let i = shape.length - 1, s = 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** NumPy broadcasting of any number of shapes (TensorFlow's rule). */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => {
    const dims = shapes.map((s) => s[s.length - rank + i] ?? 1);
    const big = Math.max(...dims);
    if (dims.some((d) => d !== 1 && d !== big))
      throw new Error(
        `shapes ${shapes.map((s) => `[${s.join(', ')}]`).join(' ')} do not broadcast`,
      );
    return big;
  });
}

/**
 * For each element of `to` (row-major), the index of the element of a tensor of shape `from`
 * that broadcasting reads.
 */
export function broadcastIndex(from: readonly number[], to: readonly number[]): Int32Array {
  const n = sizeOf(to);
  const offset = to.length - from.length;
  const fromStrides = stridesOf(from);
  const index = new Int32Array(n);
  const at = new Array<number>(to.length).fill(0);
  for (let i = 0; i < n; i++) {
    let j = 0;
    for (let d = 0; d < from.length; d++) if (from[d] !== 1) j += at[d + offset]! * fromStrides[d]!;
    index[i] = j;
    for (let d = to.length - 1; d >= 0; d--) {
      if (++at[d]! < to[d]!) break;
      at[d] = 0;
    }
  }
  return index;
}

/** The values as plain numbers (bool as 0/1), for shape and index arguments. */
export const valuesOf = (t: HostTensor): number[] => Array.from(t.data);

/** A copy of `t` laid out in `perm` order (output dim i is input dim perm[i]). */
export function transposeHost(t: HostTensor, perm: readonly number[]): HostTensor {
  const shape = perm.map((p) => t.shape[p]!);
  const inStrides = stridesOf(t.shape);
  const n = sizeOf(shape);
  const out = new (t.data.constructor as new (n: number) => HostData)(n);
  const at = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let j = 0;
    for (let d = 0; d < shape.length; d++) j += at[d]! * inStrides[perm[d]!]!;
    out[i] = t.data[j]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++at[d]! < shape[d]!) break;
      at[d] = 0;
    }
  }
  return { dtype: t.dtype, shape, data: out };
}
