import { describe, expect, it } from 'vitest';
import { buildPart } from '../src/diffusion/part-graphs';
import type { PipelineSpec } from '../src/diffusion/pipeline-spec';
import { ZERO_WEIGHTS } from '../src/diffusion/random-weights';
import { sd15PipelineSpec } from '../src/diffusion/sd15-pipeline';
import { TINY_PIPELINES } from '../src/diffusion/tiny-pipelines';
import { unetFlops } from '../src/diffusion/unet-flops';
import { GraphBuilder, onnx } from '../src/onnx/graph-builder';
import { graphFlops } from '../src/onnx/graph-flops';

// Weights go nowhere: the counter needs their dims only, and the shape constants stay inline.
const discard = { location: 'discard', threshold: 4096, append: () => 0 };
const decode = (bytes: Uint8Array) => onnx.ModelProto.decode(bytes).graph!;

function unetGraph(spec: PipelineSpec) {
  return decode(buildPart('unet', spec, ZERO_WEIGHTS, discard).bytes);
}

const unetSizes = (spec: PipelineSpec, batch: number, side: number) => ({
  sample: [batch, spec.unet.inChannels, side, side],
  timestep: [],
  encoder_hidden_states: [batch, 77, spec.unet.crossAttentionDim],
});

describe('graphFlops', () => {
  it('counts a MatMul, a strided padded Conv and a Gemm by their shapes', () => {
    const g = new GraphBuilder('mixed');
    const x = g.input('x', [2, 3, 9, 9]);
    const conv = g.node('Conv', [x, g.constant(new Float32Array(5 * 3 * 3 * 3), [5, 3, 3, 3])], {
      kernel_shape: [3, 3],
      strides: [2, 2],
      pads: [1, 1, 1, 1],
    });
    // Conv out [2, 5, 5, 5] → [2, 125] → Gemm with [125, 7] → [2, 7] → MatMul with itself transposed.
    const flat = g.node('Reshape', [conv, g.int64([2, -1])]);
    const gemm = g.node('Gemm', [flat, g.constant(new Float32Array(125 * 7), [125, 7])]);
    const gram = g.node('MatMul', [gemm, g.node('Transpose', [gemm], { perm: [1, 0] })]);
    g.output(gram, 'y', [2, 2]);
    const f = graphFlops(decode(g.toBytes()), { x: [2, 3, 9, 9] });
    expect(f.conv).toBe(2 * (2 * 5 * 5 * 5) * (3 * 3 * 3));
    expect(f.gemm).toBe(2 * 2 * 125 * 7);
    expect(f.attention).toBe(2 * 2 * 7 * 2);
    expect(f.matmul).toBe(0);
    expect(f.total).toBe(f.conv + f.gemm + f.attention);
  });

  it('counts a ConvTranspose per input pixel and follows its output size (MAXIM decoders)', () => {
    const g = new GraphBuilder('up');
    const x = g.input('x', [1, 4, 5, 7]);
    const up = g.node(
      'ConvTranspose',
      [x, g.constant(new Float32Array(4 * 6 * 2 * 2), [4, 6, 2, 2])],
      {
        kernel_shape: [2, 2],
        strides: [2, 2],
        output_padding: [1, 0],
      },
    );
    // [1, 6, 11, 14] then a 1×1 conv to 3 channels, so the inferred shape is checked too.
    const y = g.node('Conv', [up, g.constant(new Float32Array(3 * 6), [3, 6, 1, 1])], {
      kernel_shape: [1, 1],
    });
    g.output(y, 'y', [1, 3, 11, 14]);
    const f = graphFlops(decode(g.toBytes()), { x: [1, 4, 5, 7] });
    expect(f.conv).toBe(2 * (4 * 5 * 7) * (6 * 2 * 2) + 2 * (3 * 11 * 14) * 6);
  });

  it('names the op it cannot follow instead of counting it as zero', () => {
    const g = new GraphBuilder('unknown');
    const x = g.input('x', [4]);
    g.output(g.node('NonZero', [x]), 'y', [1, 'n']);
    expect(() => graphFlops(decode(g.toBytes()), { x: [4] })).toThrow(/NonZero/);
  });

  it('agrees with the architecture formula on the tiny UNets and on SD 1.5 at 512²', () => {
    for (const id of ['optimum-fp32', 'optimum-inpaint'] as const) {
      const spec = TINY_PIPELINES[id];
      const counted = graphFlops(unetGraph(spec), unetSizes(spec, 2, 16));
      expect(counted.total).toBe(
        unetFlops(spec.unet, { batch: 2, height: 16, width: 16, sequence: 77 }),
      );
    }
    // SD 1.5's four levels, two ResNets a level and attention at three of them.
    const sd15 = sd15PipelineSpec('float32');
    const counted = graphFlops(unetGraph(sd15), unetSizes(sd15, 2, 64));
    const formula = unetFlops(sd15.unet, { batch: 2, height: 64, width: 64, sequence: 77 });
    expect(counted.total).toBe(formula);
    expect(counted.gemm).toBe(0);
    // Known magnitude: about 0.4 T multiply-adds per latent at 64² (≈ 0.8 TFLOP per image).
    expect(formula / 2).toBeGreaterThan(0.7e12);
    expect(formula / 2).toBeLessThan(0.9e12);
  });
});
