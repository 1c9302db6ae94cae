import type { TfNode } from './graph-model';
import { transposeHost } from './host-tensor';
import { attrString } from './node-attrs';
import type { OnnxEmitter } from './onnx-emitter';
import { hostValue, type GraphValue, type Value } from './values';

/**
 * Einsum of an activation with a constant matrix (MAXIM's dense layers and gMLP spatial
 * projections: `abcg,gf->abcf`, `abgd,gf->abdf`, `gb,cgef->bcef`) as Transpose + MatMul +
 * Transpose: the contracted index is moved last, multiplied by the [contracted, free] matrix,
 * and the result permuted into the output's order. Identity transposes are not written, so
 * the plain dense layer is one MatMul. ONNX Einsum would do the same work but has no kernel in
 * onnxruntime-web's WebGPU EP for every form.
 */
export function emitEinsum(node: TfNode, inputs: readonly Value[], e: OnnxEmitter): GraphValue {
  const equation = attrString(node, 'equation').replace(/\s/g, '');
  const match = /^([a-z]+),([a-z]+)->([a-z]+)$/.exec(equation);
  if (!match || inputs.length !== 2) throw new Error(`${node.name}: einsum ${equation}`);
  const [, first, second, out] = match as unknown as [string, string, string, string];
  const [a, b] = inputs as [Value, Value];
  const graphFirst = a.kind === 'graph';
  const [xs, x, ws, w] = graphFirst ? [first, a, second, b] : [second, b, first, a];
  if (x.kind !== 'graph' || w.kind !== 'host')
    throw new Error(`${node.name}: einsum ${equation} needs one constant operand`);

  const contracted = [...ws].filter((c) => xs.includes(c) && !out.includes(c));
  const free = [...ws].filter((c) => !xs.includes(c) && out.includes(c));
  const kept = [...xs].filter((c) => c !== contracted[0]);
  if (
    ws.length !== 2 ||
    contracted.length !== 1 ||
    free.length !== 1 ||
    new Set(xs).size !== xs.length ||
    [...kept, free[0]].sort().join('') !== [...out].sort().join('')
  ) {
    throw new Error(`${node.name}: einsum ${equation} is not activation × matrix`);
  }
  const [k, f] = [contracted[0]!, free[0]!];
  const matrix = ws === k + f ? w.tensor : transposeHost(w.tensor, [1, 0]);
  const moved = e.transpose(
    x,
    [...kept, k].map((c) => xs.indexOf(c)),
  );
  const product = e.node('MatMul', [moved.name, e.use(hostValue(matrix))], 'float32', [
    ...moved.shape.slice(0, -1),
    matrix.shape[1]!,
  ]);
  const order = [...kept, f];
  return e.transpose(
    product,
    [...out].map((c) => order.indexOf(c)),
  );
}
