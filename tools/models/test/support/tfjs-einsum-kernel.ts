import * as tf from '@tensorflow/tfjs';

/**
 * An Einsum kernel for tfjs's wasm backend, which has none (so UpscalerJS cannot run the MAXIM
 * graphs on wasm as shipped). Two operands with no batch index, as in MAXIM: each is permuted
 * to [free…, contracted…] / [contracted…, free…], multiplied as matrices by the backend's own
 * MatMul, and the product permuted into the output's order. The kernel computes the same sums
 * as tfjs's CPU Einsum, only in a different order, so the reference stays TensorFlow.js
 * running the package's graph.
 */
/** What the kernel uses of the backend (tfjs types it as `{}`). */
interface DataBackend {
  readSync(dataId: object): ArrayLike<number>;
  write(values: Float32Array, shape: number[], dtype: tf.DataType): object;
}

const einsum: tf.KernelFunc = ({ inputs, backend: untyped, attrs }) => {
  const backend = untyped as DataBackend;
  const equation = String(attrs!.equation).replace(/\s/g, '');
  const [lhs, out] = equation.split('->') as [string, string];
  const [ia, ib] = lhs.split(',') as [string, string];
  const infos = Object.values(inputs) as tf.TensorInfo[];
  if (infos.length !== 2) throw new Error(`einsum ${equation}: ${infos.length} operands`);
  const operands = infos.map((t) =>
    tf.tensor(backend.readSync(t.dataId) as Float32Array, t.shape, t.dtype),
  );
  const result = tf.tidy(() => {
    const [a, b] = operands as [tf.Tensor, tf.Tensor];
    const contracted = [...ia].filter((c) => ib.includes(c) && !out.includes(c));
    const freeA = [...ia].filter((c) => !contracted.includes(c));
    const freeB = [...ib].filter((c) => !contracted.includes(c));
    if (freeA.some((c) => freeB.includes(c))) throw new Error(`einsum ${equation}: batch index`);
    const dim = (axes: string, t: tf.Tensor, c: string) => t.shape[axes.indexOf(c)]!;
    const count = (axes: string, t: tf.Tensor, cs: string[]) =>
      cs.reduce((p, c) => p * dim(axes, t, c), 1);
    const a2 = a
      .transpose([...freeA, ...contracted].map((c) => ia.indexOf(c)))
      .reshape([count(ia, a, freeA), count(ia, a, contracted)]);
    const b2 = b
      .transpose([...contracted, ...freeB].map((c) => ib.indexOf(c)))
      .reshape([count(ib, b, contracted), count(ib, b, freeB)]);
    const order = [...freeA, ...freeB];
    return tf
      .matMul(a2 as tf.Tensor2D, b2 as tf.Tensor2D)
      .reshape([...freeA.map((c) => dim(ia, a, c)), ...freeB.map((c) => dim(ib, b, c))])
      .transpose([...out].map((c) => order.indexOf(c)));
  });
  const values = Float32Array.from(result.dataSync());
  const info = {
    dataId: backend.write(values, result.shape, result.dtype),
    shape: result.shape,
    dtype: result.dtype,
  };
  tf.dispose([...operands, result]);
  return info;
};

let registered = false;

export function registerWasmEinsum(): void {
  if (registered) return;
  tf.registerKernel({ kernelName: 'Einsum', backendName: 'wasm', kernelFunc: einsum });
  registered = true;
}
