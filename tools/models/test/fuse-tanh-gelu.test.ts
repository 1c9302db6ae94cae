import { describe, expect, it } from 'vitest';
import { fuseTanhGelu } from '../src/onnx/fuse-tanh-gelu';
import { GraphBuilder, onnx } from '../src/onnx/graph-builder';
import { pruneToOutput } from '../src/onnx/prune';
import { runImageModel } from './support/onnx-image-run';

const C = 8;

/**
 * A dense layer, its bias and GELU's tanh approximation as jax2tf spells them in MAXIM's MLPs
 * (`0.5·x · (1 + tanh(√(2/π)·(x + (0.044715·x)·x²)))`); `alsoRead` adds a second reader of the
 * biased value, which must keep its Add.
 */
function denseGelu(alsoRead = false): onnx.IModelProto {
  const g = new GraphBuilder('dense-gelu');
  const input = g.input('input', [1, 2, 3, C]);
  const w = Float32Array.from({ length: C * C }, (_, i) => Math.sin(i * 1.7) * 0.6);
  const b = Float32Array.from({ length: C }, (_, i) => (i - 3) * 0.25);
  const k = (v: number) => g.constant([v], []);
  const x = g.node('Add', [
    g.node('MatMul', [input, g.constant(w, [C, C])]),
    g.constant(b, [1, 1, 1, C]),
  ]);
  const cube = g.node('Mul', [g.node('Mul', [k(0.044715), x]), g.node('Mul', [x, x])]);
  const inner = g.node('Mul', [k(Math.fround(Math.sqrt(2 / Math.PI))), g.node('Add', [x, cube])]);
  const onePlus = g.node('Add', [k(1), g.node('Tanh', [inner])]);
  let y = g.node('Mul', [g.node('Mul', [k(0.5), x]), onePlus]);
  if (alsoRead) y = g.node('Add', [y, x]);
  g.output(y, 'output', [1, 2, 3, C]);
  return g.toModel();
}

const input = {
  data: Float32Array.from({ length: 6 * C }, (_, i) => Math.cos(i * 0.37) * 3),
  dims: [1, 2, 3, C],
};

async function fusedAndPlain(alsoRead: boolean) {
  const plain = denseGelu(alsoRead);
  const fused = denseGelu(alsoRead);
  const count = fuseTanhGelu(fused);
  pruneToOutput(fused, 'output');
  const ops = fused.graph!.node!.map((n) => n.opType);
  const run = (m: onnx.IModelProto) => runImageModel(onnx.ModelProto.encode(m).finish(), input);
  return { count, ops, fused: await run(fused), plain: await run(plain) };
}

describe('fuseTanhGelu', () => {
  it('writes the spelled-out GELU and its bias as one FastGelu, equal to the ops it replaces', async () => {
    const r = await fusedAndPlain(false);
    expect(r.count).toBe(1);
    expect(r.ops).toEqual(['MatMul', 'FastGelu', 'Identity']);
    let worst = 0;
    for (let i = 0; i < r.plain.data.length; i++)
      worst = Math.max(worst, Math.abs(r.fused.data[i]! - r.plain.data[i]!));
    expect(worst).toBeLessThan(1e-5);
    // Not a pass-through: GELU bends negative values towards 0.
    expect(r.plain.data.some((v) => v < 0 && v > -0.2)).toBe(true);
  });

  it('keeps the bias Add when something else reads the biased value', async () => {
    const r = await fusedAndPlain(true);
    expect(r.count).toBe(1);
    expect(r.ops).toEqual(['MatMul', 'Add', 'FastGelu', 'Add', 'Identity']);
    for (let i = 0; i < r.plain.data.length; i++)
      expect(r.fused.data[i]).toBeCloseTo(r.plain.data[i]!, 5);
  });

  it('leaves a tanh that is not GELU alone', () => {
    const g = new GraphBuilder('not-gelu');
    const x = g.input('input', [1, C]);
    const y = g.node('Mul', [
      g.constant([0.5], []),
      g.node('Add', [g.constant([1], []), g.node('Tanh', [x])]),
    ]);
    g.output(y, 'output', [1, C]);
    const model = g.toModel();
    expect(fuseTanhGelu(model)).toBe(0);
    expect(model.graph!.node!.map((n) => n.opType)).toEqual(['Tanh', 'Add', 'Mul', 'Identity']);
  });
});
