import { onnx } from '../onnx/graph-builder';
import type { Layers } from './layers';

/**
 * A UNet2DConditionModel's shape, as diffusers' config names it. SD 1.5 is
 * `SD15_UNET`; the tiny fixtures use the same topology at a few channels.
 */
export interface UnetConfig {
  inChannels: number;
  outChannels: number;
  /** Channels per resolution level, e.g. [320, 640, 1280, 1280]. */
  blockChannels: readonly number[];
  /** Whether each down block (and its mirror up block) has transformer blocks. */
  attention: readonly boolean[];
  layersPerBlock: number;
  heads: number;
  crossAttentionDim: number;
  normGroups: number;
  /** LCM's `time_cond_proj_dim`: width of `timestep_cond`, added to the timestep embedding. */
  timeCondDim: number | null;
}

/** Stable Diffusion 1.5's UNet (859,520,964 parameters). */
export const SD15_UNET: UnetConfig = {
  inChannels: 4,
  outChannels: 4,
  blockChannels: [320, 640, 1280, 1280],
  attention: [true, true, true, false],
  layersPerBlock: 2,
  heads: 8,
  crossAttentionDim: 768,
  normGroups: 32,
  timeCondDim: null,
};

export interface UnetValues {
  /** [B, inChannels, h, w] in the graph's float type. */
  sample: string;
  /** The timestep as float32, any of scalar, [1] or [B]. */
  timestep: string;
  /** [B, 77, crossAttentionDim]. */
  encoderHiddenStates: string;
  /** [B, timeCondDim], LCM only. */
  timestepCond?: string;
}

const RESNET_EPS = 1e-5;
const TRANSFORMER_NORM_EPS = 1e-6;

/**
 * The noise prediction [B, outChannels, h, w], wired as diffusers' UNet2DConditionModel: a
 * sinusoidal timestep embedding and MLP; conv_in; down blocks of ResNet + transformer
 * (self-attention, cross-attention to the text, GEGLU feed-forward) with stride-2 downsampling;
 * a mid block; up blocks that concatenate the skips and upsample by nearest + conv; GroupNorm,
 * SiLU, conv_out. h and w must divide by 2^(levels − 1).
 */
export function unet(nn: Layers, cfg: UnetConfig, inputs: UnetValues): string {
  const { g } = nn;
  const channels = cfg.blockChannels;
  const projWidth = channels[0]!;
  const embedWidth = projWidth * 4;

  let timeProj = timestepFeatures(nn, inputs.timestep, projWidth);
  if (cfg.timeCondDim !== null && inputs.timestepCond)
    timeProj = g.node('Add', [
      timeProj,
      nn.linear(inputs.timestepCond, cfg.timeCondDim, projWidth, false),
    ]);
  const embedded = nn.linear(
    nn.silu(nn.linear(timeProj, projWidth, embedWidth)),
    embedWidth,
    embedWidth,
  );
  // Every ResNet applies SiLU to the embedding first: once here serves them all.
  const temb = nn.silu(embedded);

  const block = { nn, cfg, temb, embedWidth, context: inputs.encoderHiddenStates };
  let h = nn.conv(inputs.sample, cfg.inChannels, projWidth, 3);
  let width = projWidth;
  const skips: { value: string; channels: number }[] = [{ value: h, channels: width }];

  channels.forEach((out, level) => {
    for (let i = 0; i < cfg.layersPerBlock; i++) {
      h = resnet(block, h, width, out);
      width = out;
      if (cfg.attention[level]) h = transformer(block, h, width);
      skips.push({ value: h, channels: width });
    }
    if (level < channels.length - 1) {
      h = nn.conv(h, width, width, 3, { stride: 2 });
      skips.push({ value: h, channels: width });
    }
  });

  h = resnet(block, h, width, width);
  h = transformer(block, h, width);
  h = resnet(block, h, width, width);

  [...channels].reverse().forEach((out, i) => {
    const level = channels.length - 1 - i;
    for (let j = 0; j <= cfg.layersPerBlock; j++) {
      const skip = skips.pop()!;
      h = g.node('Concat', [h, skip.value], { axis: 1 });
      h = resnet(block, h, width + skip.channels, out);
      width = out;
      if (cfg.attention[level]) h = transformer(block, h, width);
    }
    if (level > 0) h = nn.conv(upsample(nn, h), width, width, 3);
  });

  h = nn.silu(nn.groupNorm(h, width, cfg.normGroups, RESNET_EPS));
  return nn.conv(h, width, cfg.outChannels, 3);
}

/** diffusers' Timesteps(flip_sin_to_cos=True, shift 0): [cos(t·f), sin(t·f)], f = 10000^(−i/half). */
function timestepFeatures(nn: Layers, timestep: string, width: number): string {
  const { g } = nn;
  const half = width / 2;
  const freqs = Float32Array.from({ length: half }, (_, i) =>
    Math.exp((-Math.log(10000) * i) / half),
  );
  const t = g.node('Reshape', [timestep, g.int64([-1, 1])]);
  const args = g.node('Mul', [t, g.constant(freqs, [1, half])]);
  const features = g.node('Concat', [g.node('Cos', [args]), g.node('Sin', [args])], { axis: -1 });
  return nn.dtype === 'float16' ? nn.cast(features, onnx.TensorProto.DataType.FLOAT16) : features;
}

interface Block {
  nn: Layers;
  cfg: UnetConfig;
  temb: string;
  embedWidth: number;
  context: string;
}

/** ResnetBlock2D: two GroupNorm-SiLU-conv stages, the timestep added between, a 1×1 shortcut when widths differ. */
function resnet(
  { nn, cfg, temb, embedWidth }: Block,
  x: string,
  inWidth: number,
  outWidth: number,
) {
  const { g } = nn;
  let h = nn.conv(
    nn.silu(nn.groupNorm(x, inWidth, cfg.normGroups, RESNET_EPS)),
    inWidth,
    outWidth,
    3,
  );
  const time = g.node('Unsqueeze', [nn.linear(temb, embedWidth, outWidth), g.int64([2, 3])]);
  h = g.node('Add', [h, time]);
  h = nn.conv(
    nn.silu(nn.groupNorm(h, outWidth, cfg.normGroups, RESNET_EPS)),
    outWidth,
    outWidth,
    3,
  );
  const shortcut = inWidth === outWidth ? x : nn.conv(x, inWidth, outWidth, 1);
  return g.node('Add', [shortcut, h]);
}

/**
 * Transformer2DModel with one BasicTransformerBlock: GroupNorm and a 1×1 projection into
 * tokens, self-attention, cross-attention to the text, GEGLU feed-forward (each pre-LayerNorm
 * and residual), projection back and the block's residual.
 */
function transformer({ nn, cfg, context }: Block, x: string, width: number): string {
  const { g } = nn;
  const normed = nn.groupNorm(x, width, cfg.normGroups, TRANSFORMER_NORM_EPS);
  const projected = nn.conv(normed, width, width, 1);
  let tokens = g.node('Transpose', [g.node('Reshape', [projected, g.int64([0, width, -1])])], {
    perm: [0, 2, 1],
  });
  const selfNormed = nn.layerNorm(tokens, width);
  tokens = g.node('Add', [nn.attention(selfNormed, selfNormed, width, width, cfg.heads), tokens]);
  const crossNormed = nn.layerNorm(tokens, width);
  tokens = g.node('Add', [
    nn.attention(crossNormed, context, width, cfg.crossAttentionDim, cfg.heads),
    tokens,
  ]);
  tokens = g.node('Add', [geglu(nn, nn.layerNorm(tokens, width), width), tokens]);
  const back = g.node('Reshape', [
    g.node('Transpose', [tokens], { perm: [0, 2, 1] }),
    g.node('Shape', [x]),
  ]);
  return g.node('Add', [nn.conv(back, width, width, 1), x]);
}

/** GEGLU feed-forward: Linear(width → 8·width) split in half, a · GELU(b), Linear(4·width → width). */
function geglu(nn: Layers, x: string, width: number): string {
  const inner = width * 4;
  const [a, b] = nn.g.nodeN('Split', [nn.linear(x, width, inner * 2)], 2, { axis: -1 });
  return nn.linear(nn.g.node('Mul', [a!, nn.gelu(b!)]), inner, width);
}

/** Nearest-neighbour ×2, as torch's F.interpolate(scale_factor=2) exports it. */
export function upsample(nn: Layers, x: string): string {
  return nn.g.node('Resize', [x, '', nn.g.constant([1, 1, 2, 2])], {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  });
}
