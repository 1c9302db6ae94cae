import type { VaeEncoderOutput } from '@loupe/shared';
import type { Layers } from './layers';
import { upsample } from './unet';

/** An AutoencoderKL's shape, as diffusers' config names it. */
export interface VaeConfig {
  imageChannels: number;
  latentChannels: number;
  /** Channels per level; the scale factor is 2^(levels − 1). */
  blockChannels: readonly number[];
  layersPerBlock: number;
  normGroups: number;
}

/** Stable Diffusion 1.5's VAE (83,653,863 parameters, encoder and decoder together). */
export const SD15_VAE: VaeConfig = {
  imageChannels: 3,
  latentChannels: 4,
  blockChannels: [128, 256, 512, 512],
  layersPerBlock: 2,
  normGroups: 32,
};

const EPS = 1e-6;

/** Pixels per latent pixel along each side. */
export const vaeScaleFactor = (cfg: VaeConfig): number => 2 ** (cfg.blockChannels.length - 1);

/**
 * The encoder: conv_in, down blocks of ResNets with stride-2 convs (padded right and bottom
 * only, as diffusers does), a mid block with one attention, GroupNorm-SiLU-conv_out and
 * quant_conv to mean and log-variance stacked on channels. `latent-sample` then draws a latent
 * in the graph (mean + σ·N(0, 1)), as the older diffusers export script's graphs do.
 */
export function vaeEncoder(
  nn: Layers,
  cfg: VaeConfig,
  image: string,
  output: VaeEncoderOutput,
): string {
  const { g } = nn;
  const levels = cfg.blockChannels;
  let width = levels[0]!;
  let h = nn.conv(image, cfg.imageChannels, width, 3);
  levels.forEach((out, level) => {
    for (let i = 0; i < cfg.layersPerBlock; i++) {
      h = resnet(nn, cfg, h, width, out);
      width = out;
    }
    if (level < levels.length - 1)
      h = nn.conv(h, width, width, 3, { stride: 2, pads: [0, 0, 1, 1] });
  });
  h = midBlock(nn, cfg, h, width);
  h = nn.conv(
    nn.silu(nn.groupNorm(h, width, cfg.normGroups, EPS)),
    width,
    2 * cfg.latentChannels,
    3,
  );
  const moments = nn.conv(h, 2 * cfg.latentChannels, 2 * cfg.latentChannels, 1);
  if (output === 'latent-parameters') return moments;

  const [mean, logVariance] = g.nodeN('Split', [moments], 2, { axis: 1 });
  const clipped = g.node('Clip', [logVariance!, nn.scalar(-30), nn.scalar(20)]);
  const std = g.node('Exp', [g.node('Mul', [clipped, nn.scalar(0.5)])]);
  // A fixed seed: the same image gives the same latent, run after run.
  const noise = g.node('RandomNormalLike', [mean!], { mean: 0, scale: 1, seed: 0 });
  return g.node('Add', [mean!, g.node('Mul', [std, noise])]);
}

/** The decoder: post_quant_conv, conv_in, a mid block, up blocks of ResNets with nearest ×2 + conv, conv_out. */
export function vaeDecoder(nn: Layers, cfg: VaeConfig, latent: string): string {
  const levels = [...cfg.blockChannels].reverse();
  let h = nn.conv(latent, cfg.latentChannels, cfg.latentChannels, 1);
  let width = levels[0]!;
  h = nn.conv(h, cfg.latentChannels, width, 3);
  h = midBlock(nn, cfg, h, width);
  levels.forEach((out, i) => {
    for (let j = 0; j <= cfg.layersPerBlock; j++) {
      h = resnet(nn, cfg, h, width, out);
      width = out;
    }
    if (i < levels.length - 1) h = nn.conv(upsample(nn, h), width, width, 3);
  });
  return nn.conv(nn.silu(nn.groupNorm(h, width, cfg.normGroups, EPS)), width, cfg.imageChannels, 3);
}

function resnet(nn: Layers, cfg: VaeConfig, x: string, inWidth: number, outWidth: number) {
  let h = nn.conv(nn.silu(nn.groupNorm(x, inWidth, cfg.normGroups, EPS)), inWidth, outWidth, 3);
  h = nn.conv(nn.silu(nn.groupNorm(h, outWidth, cfg.normGroups, EPS)), outWidth, outWidth, 3);
  const shortcut = inWidth === outWidth ? x : nn.conv(x, inWidth, outWidth, 1);
  return nn.g.node('Add', [shortcut, h]);
}

/** ResNet, single-head self-attention over all pixels (with its own GroupNorm and residual), ResNet. */
function midBlock(nn: Layers, cfg: VaeConfig, x: string, width: number): string {
  const { g } = nn;
  const h = resnet(nn, cfg, x, width, width);
  const normed = nn.groupNorm(h, width, cfg.normGroups, EPS);
  const tokens = g.node('Transpose', [g.node('Reshape', [normed, g.int64([0, width, -1])])], {
    perm: [0, 2, 1],
  });
  const attended = nn.attention(tokens, tokens, width, width, 1, { qkvBias: true });
  const back = g.node('Reshape', [
    g.node('Transpose', [attended], { perm: [0, 2, 1] }),
    g.node('Shape', [h]),
  ]);
  return resnet(nn, cfg, g.node('Add', [back, h]), width, width);
}
