import { describe, expect, it } from 'vitest';
import { float16Bits, float16Value } from '../src/onnx/float16';
import { withFloat16Storage } from '../src/onnx/float16-storage';
import { GraphBuilder, onnx } from '../src/onnx/graph-builder';
import { runImageModel } from './support/onnx-image-run';

const half = (v: number) => float16Value(float16Bits(v));

/** input·w + b, then where(input ≥ 0, that, 0): a weight, a float result and a bool on the way. */
function model(): Uint8Array {
  const g = new GraphBuilder('f16-storage');
  const x = g.input('input', [1, 1, 1, 4]);
  const w = g.constant(Float32Array.of(1.0001), [1]);
  const b = g.constant(Float32Array.of(0.1), [1]);
  const y = g.node('Add', [g.node('Mul', [x, w]), b]);
  const keep = g.node('GreaterOrEqual', [x, g.constant(Float32Array.of(0), [1])]);
  const out = g.node('Where', [keep, y, g.constant(Float32Array.of(0), [1])]);
  g.output(out, 'output', [1, 1, 1, 4]);
  return g.toBytes();
}

describe('withFloat16Storage', () => {
  it('rounds weights and every float tensor a node writes to binary16, and computes in float32 between', async () => {
    const input = { data: Float32Array.of(1 / 3, 1000.3, -2, 70000), dims: [1, 1, 1, 4] };
    const exact = await runImageModel(model(), input);
    const simulated = withFloat16Storage(onnx.ModelProto.decode(model()));
    const casts = simulated.graph!.node!.filter((n) => n.opType === 'Cast').length;
    // The input, Mul and Add are rounded (two casts each); the comparison writes a bool, and
    // Where and the output's Identity only pick values that are binary16 already.
    expect(casts).toBe(6);
    const out = await runImageModel(onnx.ModelProto.encode(simulated).finish(), input);
    // Each step rounded: w → 1 in binary16, b → its nearest binary16, every product and sum too.
    const want = [...input.data].map((v) =>
      v >= 0 ? half(half(half(v) * half(1.0001)) + half(0.1)) : 0,
    );
    expect([...out.data]).toEqual(want);
    expect(out.data[3]).toBe(Infinity); // 70000 is past binary16's 65504, as on a GPU in fp16
    expect(exact.data[0]).not.toBe(out.data[0]);
  });

  it('keeps the outputs of the ops it is told to, and the constants they read, in float32', async () => {
    const input = { data: Float32Array.of(1 / 3, 1000.3, 2, 3), dims: [1, 1, 1, 4] };
    const simulated = withFloat16Storage(onnx.ModelProto.decode(model()), {
      keepFloat32: ['Add'],
    });
    const out = await runImageModel(onnx.ModelProto.encode(simulated).finish(), input);
    // The product is rounded; the sum, and b = 0.1 (binary16 has 0.09998), are not.
    const want = [...input.data].map((v) =>
      Math.fround(half(half(v) * half(1.0001)) + Math.fround(0.1)),
    );
    expect([...out.data]).toEqual(want);
  });
});
