import type { onnx } from './graph-builder';
import { indexGraph } from './graph-index';
import { float32Initializer, float32Tensor } from './initializers';

type Node = onnx.INodeProto;

/**
 * Folds a layer norm's scale γ and offset β into the dense layer that reads it. Flax's
 * LayerNorm, as jax2tf writes it in MAXIM, ends in `(x − mean) · (rstd · γ) + β`: two passes
 * over the activation that write nothing the next MatMul could not do itself, since
 *
 *   ((x − mean) · rstd · γ + β) · W + b  =  ((x − mean) · rstd) · (diag(γ) · W)  +  (β · W + b).
 *
 * So `rstd · γ` (a per-pixel scalar times a per-channel vector: a whole activation written out)
 * and the `+ β` go, W is scaled row by row, and the dense layer's bias (an Add of a constant,
 * or the bias input of a FastGelu) takes β · W. Matched only where each value in the chain has
 * that one reader, W and the bias are float32 constants and γ, β are per last axis; the result
 * equals the original up to float32 rounding. Dead nodes are left for pruneToOutput. Returns how
 * many norms were folded.
 */
export function foldNormAffine(model: onnx.IModelProto): number {
  const graph = model.graph!;
  const { producer, constants, only } = indexGraph(graph);
  /** A float32 constant's values and dims, or undefined. */
  const floats = (name: string) => float32Initializer(constants.get(name));
  /** A per-last-axis vector of length `n` ([n] or [1, …, 1, n]), or undefined. */
  const perChannel = (name: string, n?: number) => {
    const t = floats(name);
    if (!t || t.dims.length === 0 || !t.dims.slice(0, -1).every((d) => d === 1)) return undefined;
    return n === undefined || t.dims.at(-1) === n ? t : undefined;
  };
  /** The input of a two-input node that is not `value`, with its index. */
  const other = (node: Node, value: string) => {
    const i = node.input!.indexOf(value);
    return i < 0 || node.input!.length !== 2 ? undefined : node.input![1 - i]!;
  };
  const add = (t: onnx.ITensorProto) => {
    graph.initializer!.push(t);
    constants.set(t.name!, t);
    return t.name!;
  };

  let folded = 0;
  for (const offset of [...graph.node!]) {
    // … · (rstd · γ) + β, read only by MatMul(…, W)
    if (offset.opType !== 'Add') continue;
    const [p, q] = offset.input!;
    const beta = perChannel(q!) ? q! : perChannel(p!) ? p! : undefined;
    if (!beta) continue;
    const normed = other(offset, beta)!;
    const scaled = producer.get(normed);
    if (scaled?.opType !== 'Mul' || only(normed) !== offset) continue;
    const dense = only(offset.output![0]!);
    if (dense?.opType !== 'MatMul' || dense.input![0] !== offset.output![0]) continue;
    const w = floats(dense.input![1]!);
    if (!w || w.dims.length !== 2) continue;
    const [rows, cols] = w.dims as [number, number];
    const b = perChannel(beta, rows);
    if (!b) continue;
    // The scale: one factor of `scaled` is rstd · γ, read by nothing else.
    const found = scaled.input!.flatMap((s, i) => {
      const mul = producer.get(s!);
      if (mul?.opType !== 'Mul' || only(s!) !== scaled) return [];
      const [u, v] = mul.input!;
      const gamma = perChannel(v!, rows) ? v! : perChannel(u!, rows) ? u! : undefined;
      return gamma && !constants.has(other(mul, gamma)!)
        ? [{ i, rstd: other(mul, gamma)!, gamma }]
        : [];
    })[0];
    if (!found) continue;
    // The dense layer's bias: the one reader of its output, an Add of a constant or a FastGelu.
    const reader = only(dense.output![0]!);
    let biasAt: number | undefined;
    if (reader?.opType === 'FastGelu' && reader.input![0] === dense.output![0])
      biasAt = reader.input!.length > 1 ? 1 : undefined;
    else if (reader?.opType === 'Add') biasAt = reader.input![0] === dense.output![0] ? 1 : 0;
    if (reader === undefined || biasAt === undefined) continue;
    const bias = perChannel(reader.input![biasAt]!, cols);
    if (!bias) continue;

    const gamma = floats(found.gamma)!.values;
    const scaledW = new Float32Array(rows * cols);
    const shifted = new Float64Array(bias.values);
    for (let k = 0; k < rows; k++)
      for (let j = 0; j < cols; j++) {
        const wkj = w.values[k * cols + j]!;
        scaledW[k * cols + j] = gamma[k]! * wkj;
        shifted[j]! += b.values[k]! * wkj;
      }
    const name = `${dense.name}/norm-folded`;
    dense.input![1] = add(float32Tensor(`${name}/W`, [rows, cols], scaledW));
    dense.input![0] = normed;
    reader.input![biasAt] = add(float32Tensor(`${name}/b`, bias.dims, Float32Array.from(shifted)));
    scaled.input![found.i] = found.rstd;
    folded++;
  }
  return folded;
}
