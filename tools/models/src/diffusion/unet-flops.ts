import type { UnetConfig } from './unet';

export interface UnetRun {
  batch: number;
  /** Latent height and width (the image's / 8). */
  height: number;
  width: number;
  /** Text tokens attended to (77 for CLIP). */
  sequence: number;
}

/**
 * FLOPs (2 × multiply-adds) of one UNet2DConditionModel call, from the architecture alone:
 * the Conv, linear and attention products of diffusers' blocks, written out so the graph
 * counter (`graphFlops`) can be checked against it. With P = pixels at a level, C its width,
 * B the batch, S the text length, D the text width:
 *
 * - ResNet in→out: 2BP·9·(in·out + out·out), + 2BP·in·out for the 1×1 shortcut when in ≠ out,
 *   + 2·4C₀·out for its timestep projection (the timestep embedding is one row for the batch);
 * - transformer: 2BP·C² × 2 (1×1 proj in/out) + self-attention 2BP·4C² + 2·2BP²C, cross-attention
 *   2BP·2C² + 2BS·2DC + 2·2BPSC, GEGLU 2BP·(8C² + 4C²);
 * - stride-2 downsample: 2B(P/4)·9C²; nearest ×2 + conv upsample: 2B(4P)·9C²;
 * - conv_in 2BP·9·in·C₀, conv_out 2BP·9·C₀·out, time MLP 2·(C₀·4C₀ + 4C₀·4C₀).
 */
export function unetFlops(cfg: UnetConfig, run: UnetRun): number {
  const { batch: B, sequence: S } = run;
  const D = cfg.crossAttentionDim;
  const c0 = cfg.blockChannels[0]!;
  const embed = 4 * c0;
  const levels = cfg.blockChannels.length;
  const pixels = (level: number) => (run.height * run.width) / 4 ** level;

  const resnet = (P: number, cin: number, cout: number) =>
    2 * B * P * 9 * (cin * cout + cout * cout) +
    (cin === cout ? 0 : 2 * B * P * cin * cout) +
    2 * embed * cout;
  const transformer = (P: number, C: number) =>
    2 * B * P * C * C * 2 +
    (2 * B * P * 4 * C * C + 2 * 2 * B * P * P * C) +
    (2 * B * P * 2 * C * C + 2 * B * S * 2 * D * C + 2 * 2 * B * P * S * C) +
    2 * B * P * 12 * C * C;

  let flops = 2 * (c0 * embed + embed * embed);
  flops += 2 * B * pixels(0) * 9 * cfg.inChannels * c0;
  let width = c0;
  const skips: number[] = [c0];
  cfg.blockChannels.forEach((out, level) => {
    for (let i = 0; i < cfg.layersPerBlock; i++) {
      flops += resnet(pixels(level), width, out);
      width = out;
      if (cfg.attention[level]) flops += transformer(pixels(level), width);
      skips.push(width);
    }
    if (level < levels - 1) {
      flops += 2 * B * pixels(level + 1) * 9 * width * width;
      skips.push(width);
    }
  });
  const mid = pixels(levels - 1);
  flops += 2 * resnet(mid, width, width) + transformer(mid, width);
  [...cfg.blockChannels].reverse().forEach((out, i) => {
    const level = levels - 1 - i;
    for (let j = 0; j <= cfg.layersPerBlock; j++) {
      flops += resnet(pixels(level), width + skips.pop()!, out);
      width = out;
      if (cfg.attention[level]) flops += transformer(pixels(level), width);
    }
    if (level > 0) flops += 2 * B * pixels(level - 1) * 9 * width * width;
  });
  return flops + 2 * B * pixels(0) * 9 * c0 * cfg.outChannels;
}
