import type { FloatDtype } from '@loupe/shared';
import { onnx, type GraphBuilder } from '../onnx/graph-builder';
import type { WeightSource } from './random-weights';

const { FLOAT, FLOAT16 } = onnx.TensorProto.DataType;

/** The ONNX element type of a float dtype. */
export const ONNX_FLOAT: Record<FloatDtype, number> = { float32: FLOAT, float16: FLOAT16 };

export interface ConvOptions {
  stride?: number;
  /** [top, left, bottom, right]; default: same-size padding for odd kernels. */
  pads?: readonly [number, number, number, number];
  bias?: boolean;
}

/**
 * The layers a Stable Diffusion graph is made of (linear, conv, group and layer norm, SiLU,
 * GELU, multi-head attention), written as opset-17 ONNX in one float type, with weights drawn
 * from a `WeightSource` at PyTorch's default bounds (±1/√fan_in; norms start at 1 and 0).
 * `parameters` counts the learned values, so a topology can be checked against the real one.
 */
export class Layers {
  parameters = 0;

  constructor(
    readonly g: GraphBuilder,
    readonly dtype: FloatDtype,
    private readonly weights: WeightSource,
  ) {}

  /** A constant in this graph's float type. */
  tensor(values: Float32Array | readonly number[], dims: readonly number[]): string {
    return this.dtype === 'float16' ? this.g.float16(values, dims) : this.g.constant(values, dims);
  }

  scalar(value: number): string {
    return this.tensor([value], []);
  }

  /** A learned tensor, uniform in ±bound. */
  param(dims: readonly number[], bound: number): string {
    const count = dims.reduce((a, b) => a * b, 1);
    this.parameters += count;
    return this.tensor(this.weights.uniform(count, bound), dims);
  }

  /** A learned tensor that starts at one value (norm scales and shifts). */
  filled(dims: readonly number[], value: number): string {
    const count = dims.reduce((a, b) => a * b, 1);
    this.parameters += count;
    return this.tensor(new Float32Array(count).fill(value), dims);
  }

  /** x [..., inFeatures] · W + b. */
  linear(x: string, inFeatures: number, outFeatures: number, bias = true): string {
    const bound = 1 / Math.sqrt(inFeatures);
    const y = this.g.node('MatMul', [x, this.param([inFeatures, outFeatures], bound)]);
    return bias ? this.g.node('Add', [y, this.param([outFeatures], bound)]) : y;
  }

  conv(x: string, inChannels: number, outChannels: number, kernel: number, o: ConvOptions = {}) {
    const half = kernel >> 1;
    const { stride = 1, pads = [half, half, half, half], bias = true } = o;
    const bound = 1 / Math.sqrt(inChannels * kernel * kernel);
    const inputs = [x, this.param([outChannels, inChannels, kernel, kernel], bound)];
    if (bias) inputs.push(this.param([outChannels], bound));
    return this.g.node('Conv', inputs, {
      kernel_shape: [kernel, kernel],
      strides: [stride, stride],
      pads: [pads[0], pads[1], pads[2], pads[3]],
    });
  }

  /**
   * GroupNorm on NCHW as opset 17 can say it: InstanceNormalization over [N, groups, rest],
   * then the per-channel scale and shift (GroupNormalization arrived in opset 18).
   */
  groupNorm(x: string, channels: number, groups: number, epsilon: number): string {
    const { g } = this;
    const grouped = g.node('Reshape', [x, g.int64([0, groups, -1])]);
    const normed = g.node(
      'InstanceNormalization',
      [
        grouped,
        this.tensor(new Float32Array(groups).fill(1), [groups]),
        this.tensor(new Float32Array(groups), [groups]),
      ],
      { epsilon },
    );
    const back = g.node('Reshape', [normed, g.node('Shape', [x])]);
    const scaled = g.node('Mul', [back, this.filled([channels, 1, 1], 1)]);
    return g.node('Add', [scaled, this.filled([channels, 1, 1], 0)]);
  }

  layerNorm(x: string, width: number, epsilon = 1e-5): string {
    return this.g.node(
      'LayerNormalization',
      [x, this.filled([width], 1), this.filled([width], 0)],
      { axis: -1, epsilon },
    );
  }

  silu(x: string): string {
    return this.g.node('Mul', [x, this.g.node('Sigmoid', [x])]);
  }

  /** Exact GELU: x · (1 + erf(x / √2)) / 2. */
  gelu(x: string): string {
    const { g } = this;
    const erf = g.node('Erf', [g.node('Mul', [x, this.scalar(Math.SQRT1_2)])]);
    return g.node('Mul', [
      g.node('Mul', [x, this.scalar(0.5)]),
      g.node('Add', [erf, this.scalar(1)]),
    ]);
  }

  /** CLIP's activation: x · σ(1.702 x). */
  quickGelu(x: string): string {
    const { g } = this;
    return g.node('Mul', [x, g.node('Sigmoid', [g.node('Mul', [x, this.scalar(1.702)])])]);
  }

  /**
   * Multi-head attention of `x` [B, Lq, width] over `context` [B, Lk, contextWidth] (x itself
   * for self-attention); `mask` is added to the scores ([Lq, Lk], 0 or a large negative).
   */
  attention(
    x: string,
    context: string,
    width: number,
    contextWidth: number,
    heads: number,
    o: { qkvBias?: boolean; mask?: string } = {},
  ): string {
    const { g } = this;
    const headWidth = width / heads;
    const qkvBias = o.qkvBias ?? false;
    const split = (t: string, perm: number[]) =>
      g.node('Transpose', [g.node('Reshape', [t, g.int64([0, 0, heads, headWidth])])], { perm });
    // Scaled before the product, so float16 scores stay in range.
    const q = g.node('Mul', [
      this.linear(x, width, width, qkvBias),
      this.scalar(1 / Math.sqrt(headWidth)),
    ]);
    const k = this.linear(context, contextWidth, width, qkvBias);
    const v = this.linear(context, contextWidth, width, qkvBias);
    let scores = g.node('MatMul', [split(q, [0, 2, 1, 3]), split(k, [0, 2, 3, 1])]);
    if (o.mask) scores = g.node('Add', [scores, o.mask]);
    const weights = g.node('Softmax', [scores], { axis: -1 });
    const mixed = g.node('MatMul', [weights, split(v, [0, 2, 1, 3])]);
    const merged = g.node('Reshape', [
      g.node('Transpose', [mixed], { perm: [0, 2, 1, 3] }),
      g.int64([0, 0, width]),
    ]);
    return this.linear(merged, width, width, true);
  }

  cast(x: string, to: number): string {
    return this.g.node('Cast', [x], { to });
  }
}
