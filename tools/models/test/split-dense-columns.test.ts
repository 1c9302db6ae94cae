import { describe, expect, it } from 'vitest';
import { GraphBuilder, onnx } from '../src/onnx/graph-builder';
import { inferShapes } from '../src/onnx/graph-flops';
import { pruneToOutput } from '../src/onnx/prune';
import { splitDenseColumns } from '../src/onnx/split-dense-columns';
import { runImageModel } from './support/onnx-image-run';
import { maxAbsDifference } from './support/psnr';

const C = 4;
const HALF = 3;
/** The spatial axis 2 is as long as the dense layer is wide: a cut there must not pass for one of the channels. */
const DIMS = [1, 2, 2 * HALF, C];
const TO_THE_END = 2 ** 40;

/** Where the two halves are cut: MAXIM's gMLP split, or variants the pass must leave alone. */
type Cut = 'halves' | 'negative-axis' | 'overlapping' | 'spatial-axis' | 'also-read-whole';

/** A dense layer and GELU, its output cut in two along the channels and gated (u · v). */
function gatedDense(cut: Cut): onnx.IModelProto {
  const g = new GraphBuilder('gated-dense');
  const x = g.input('input', DIMS);
  const w = Float32Array.from({ length: C * 2 * HALF }, (_, i) => Math.sin(i * 0.9) * 0.7);
  const b = Float32Array.from({ length: 2 * HALF }, (_, i) => (i - 2) * 0.2);
  const wide = g.node('FastGelu', [
    g.node('MatMul', [x, g.constant(w, [C, 2 * HALF])]),
    g.constant(b, [2 * HALF]),
  ]);
  const axis = cut === 'negative-axis' ? -1 : cut === 'spatial-axis' ? 2 : 3;
  const slice = (lo: number, hi: number) =>
    g.node('Slice', [wide, g.int64([lo], [1]), g.int64([hi], [1]), g.int64([axis], [1])]);
  const u = slice(0, HALF);
  const v = cut === 'overlapping' ? slice(HALF - 1, 2 * HALF - 1) : slice(HALF, TO_THE_END);
  let y = g.node('Mul', [u, v]);
  if (cut === 'also-read-whole')
    y = g.node('Add', [y, g.node('ReduceSum', [wide, g.int64([3], [1])], { keepdims: 1 })]);
  const out = cut === 'spatial-axis' ? [1, 2, HALF, 2 * HALF] : [1, 2, 2 * HALF, HALF];
  g.output(y, 'output', out);
  const model = g.toModel();
  for (const n of model.graph!.node!) if (n.opType === 'FastGelu') n.domain = 'com.microsoft';
  model.opsetImport!.push({ domain: 'com.microsoft', version: 1 });
  return model;
}

const input = {
  data: Float32Array.from({ length: 2 * 2 * HALF * C }, (_, i) => Math.cos(i * 0.41) * 2),
  dims: DIMS,
};

async function splitAndPlain(cut: Cut) {
  const plain = gatedDense(cut);
  const split = gatedDense(cut);
  const count = splitDenseColumns(split, inferShapes(split.graph!, { input: DIMS }));
  pruneToOutput(split, 'output');
  const ops = split.graph!.node!.map((n) => n.opType!);
  const run = (m: onnx.IModelProto) => runImageModel(onnx.ModelProto.encode(m).finish(), input);
  const [a, b] = [await run(plain), await run(split)];
  const worst = maxAbsDifference(a.data, b.data);
  return { count, ops, worst, spread: Math.max(...a.data) - Math.min(...a.data) };
}

describe('splitDenseColumns', () => {
  it.each(['halves', 'negative-axis'] as const)(
    'computes each slice from its own columns (%s), equal to slicing the whole',
    async (cut) => {
      const r = await splitAndPlain(cut);
      expect(r.count).toBe(1);
      expect(r.ops.filter((o) => o === 'Slice')).toEqual([]);
      expect(r.ops.filter((o) => o === 'MatMul')).toHaveLength(2);
      expect(r.ops.filter((o) => o === 'FastGelu')).toHaveLength(2);
      expect(r.worst).toBeLessThan(1e-6);
      expect(r.spread).toBeGreaterThan(0.1);
    },
  );

  it.each(['overlapping', 'spatial-axis', 'also-read-whole'] as const)(
    'leaves the dense layer whole when the slices do not partition its channels (%s)',
    async (cut) => {
      const r = await splitAndPlain(cut);
      expect(r.count).toBe(0);
      expect(r.ops).toContain('Slice');
      expect(r.worst).toBe(0);
    },
  );
});
