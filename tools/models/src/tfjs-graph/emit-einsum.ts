import type { TfNode } from './graph-model';
import { sizeOf, transposeHost, type HostTensor } from './host-tensor';
import { attrString } from './node-attrs';
import type { OnnxEmitter } from './onnx-emitter';
import { hostValue, type GraphValue, type Value } from './values';

/**
 * Einsum of an activation with a constant matrix (MAXIM's dense layers and gMLP spatial
 * projections: `abcg,gf->abcf`, `abgd,gf->abdf`, `gb,cgef->bcef`) as one MatMul over the axis
 * where the data already lies: the un-transposed source when the activation is a transpose the
 * emitter wrote (the gMLP's `swapaxes` before its dense layer), contracted on the last axis by
 * x·W, or on another axis by Wᵀ·x over a reshape that flattens the axes after it. The result is
 * put into the output's order by a deferred transpose, which the graph's `swapaxes` back
 * cancels. Moving a 256×256×32 activation twice per dense layer cost more than the layer.
 * ONNX Einsum would do the same work but has no kernel in onnxruntime-web's WebGPU EP for every
 * form.
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

  // The activation's letters in its source's axis order.
  const from = e.transposedFrom(x);
  const source = from?.input ?? x;
  const letters = from ? source.shape.map((_, i) => xs[from.perm.indexOf(i)]!) : [...xs];
  const axis = letters.indexOf(k);
  const product = contractAxis(source, axis, matrix, e);
  letters[axis] = f;
  return e.deferTranspose(
    product,
    [...out].map((c) => letters.indexOf(c)),
  );
}

/** `x` with axis `axis` contracted against the [contracted, free] `matrix`, in place. */
function contractAxis(x: GraphValue, axis: number, matrix: HostTensor, e: OnnxEmitter) {
  const shape = x.shape.map((d, i) => (i === axis ? matrix.shape[1]! : d));
  if (axis === x.shape.length - 1)
    return e.node('MatMul', [x.name, e.use(hostValue(matrix))], 'float32', shape);
  const rows = x.shape.slice(0, axis + 1);
  const flat = e.reshape(x, [...rows, sizeOf(x.shape.slice(axis + 1))]);
  const left = hostValue(transposeHost(matrix, [1, 0]));
  const product = e.node('MatMul', [e.use(left), flat.name], 'float32', [
    ...shape.slice(0, axis + 1),
    flat.shape[axis + 1]!,
  ]);
  return e.reshape(product, shape);
}
