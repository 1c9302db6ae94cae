import { describe, expect, it } from 'vitest';
import { foldNormAffine } from '../src/onnx/fold-norm-affine';
import { GraphBuilder, onnx } from '../src/onnx/graph-builder';
import { pruneToOutput } from '../src/onnx/prune';
import { runImageModel } from './support/onnx-image-run';
import { maxAbsDifference } from './support/psnr';

const C = 8;
const OUT = 6;

type Reader = 'bias-add' | 'fast-gelu' | 'no-bias';

/**
 * Flax's LayerNorm over the last axis as jax2tf writes it in MAXIM (means as ReduceSum times
 * 1/C, `(x − mean) · (rstd · γ) + β`), then a dense layer and what reads it. `alsoRead` gives
 * the norm's output a second reader, which must keep γ and β where they are.
 */
function normDense(reader: Reader, alsoRead = false): onnx.IModelProto {
  const g = new GraphBuilder('norm-dense');
  const x = g.input('input', [1, 2, 3, C]);
  const axes = g.int64([3], [1]);
  const k = (v: number) => g.constant([v], []);
  const mean = g.node('Mul', [g.node('ReduceSum', [x, axes], { keepdims: 1 }), k(1 / C)]);
  const centred = g.node('Sub', [x, mean]);
  const variance = g.node('Mul', [
    g.node('ReduceSum', [g.node('Mul', [centred, centred]), axes], { keepdims: 1 }),
    k(1 / C),
  ]);
  const rstd = g.node('Reciprocal', [g.node('Sqrt', [g.node('Add', [variance, k(1e-6)])])]);
  const gamma = Float32Array.from({ length: C }, (_, i) => 0.5 + 0.2 * i);
  const beta = Float32Array.from({ length: C }, (_, i) => Math.sin(i) * 0.3);
  const scale = g.node('Mul', [rstd, g.constant(gamma, [1, 1, 1, C])]);
  const normed = g.node('Add', [g.node('Mul', [centred, scale]), g.constant(beta, [1, 1, 1, C])]);
  const w = Float32Array.from({ length: C * OUT }, (_, i) => Math.cos(i * 1.3) * 0.5);
  const b = Float32Array.from({ length: OUT }, (_, i) => (i - 2) * 0.1);
  const dense = g.node('MatMul', [normed, g.constant(w, [C, OUT])]);
  let y =
    reader === 'bias-add'
      ? g.node('Add', [dense, g.constant(b, [1, 1, 1, OUT])])
      : reader === 'fast-gelu'
        ? g.node('FastGelu', [dense, g.constant(b, [OUT])])
        : g.node('Tanh', [dense]);
  if (alsoRead) y = g.node('Add', [y, g.node('ReduceSum', [normed, axes], { keepdims: 1 })]);
  g.output(y, 'output', [1, 2, 3, OUT]);
  const model = g.toModel();
  if (reader === 'fast-gelu') {
    for (const n of model.graph!.node!) if (n.opType === 'FastGelu') n.domain = 'com.microsoft';
    model.opsetImport!.push({ domain: 'com.microsoft', version: 1 });
  }
  return model;
}

const input = {
  data: Float32Array.from({ length: 6 * C }, (_, i) => Math.cos(i * 0.37) * 3 + i * 0.05),
  dims: [1, 2, 3, C],
};

async function foldedAndPlain(reader: Reader, alsoRead = false) {
  const plain = normDense(reader, alsoRead);
  const folded = normDense(reader, alsoRead);
  const count = foldNormAffine(folded);
  pruneToOutput(folded, 'output');
  const ops = folded.graph!.node!.map((n) => n.opType!);
  const run = (m: onnx.IModelProto) => runImageModel(onnx.ModelProto.encode(m).finish(), input);
  const [a, b] = [await run(plain), await run(folded)];
  const worst = maxAbsDifference(a.data, b.data);
  const spread = Math.max(...a.data) - Math.min(...a.data);
  return { count, ops, worst, spread };
}

const countOf = (ops: string[], op: string) => ops.filter((o) => o === op).length;

describe('foldNormAffine', () => {
  it('moves γ into the dense weights and β into its bias Add, equal to the graph it replaces', async () => {
    const r = await foldedAndPlain('bias-add');
    expect(r.count).toBe(1);
    // Gone: rstd · γ and + β (the plain graph has 5 Mul and 3 Add).
    expect(countOf(r.ops, 'Mul')).toBe(4);
    expect(countOf(r.ops, 'Add')).toBe(2);
    expect(r.worst).toBeLessThan(1e-5);
    // Not a constant output: the comparison above can fail.
    expect(r.spread).toBeGreaterThan(0.5);
  });

  it('puts β · W into a FastGelu’s bias', async () => {
    const r = await foldedAndPlain('fast-gelu');
    expect(r.count).toBe(1);
    expect(countOf(r.ops, 'Mul')).toBe(4);
    expect(countOf(r.ops, 'Add')).toBe(1);
    expect(r.worst).toBeLessThan(1e-5);
  });

  it('leaves a norm alone when something besides the dense layer reads it', async () => {
    const r = await foldedAndPlain('bias-add', true);
    expect(r.count).toBe(0);
    expect(r.worst).toBe(0);
  });

  it('leaves a norm alone when the dense layer has no bias to take β · W', async () => {
    const r = await foldedAndPlain('no-bias');
    expect(r.count).toBe(0);
    expect(r.worst).toBe(0);
  });
});
