import type { UploadLimits } from '../api/limits';
import { pixelCount, type Size } from '../image/rgba-image';
import { pipelineSizes, type Step } from '../ops/pipeline';

/** The limits a server checks before it starts an edit (`GET /api/limits`). */
export type ServerLimits = Pick<UploadLimits, 'maxInputPixels' | 'maxOutputPixels'>;

/** Why the server would refuse an edit: its picture or one step's result has too many pixels. */
export interface LimitExcess {
  /** 'input': the picture sent; 'output': the result of step `step` (0-based). */
  readonly what: 'input' | 'output';
  readonly step: number;
  readonly size: Size;
  readonly limit: number;
  /** True when the step is the pipeline's last: its result is the edit's result. */
  readonly last: boolean;
}

/**
 * What the server would refuse in this edit, checked the way it checks (the picture's pixels,
 * then every step's result), so it is known before Run and not after an upload.
 *
 * @example overServerLimits([upscaleX4], { width: 6000, height: 4000 }, limits)
 *   // { what: 'output', step: 0, size: { width: 24000, height: 16000 }, limit: 1e8, last: true }
 */
export function overServerLimits(
  steps: readonly Step[],
  input: Size,
  limits: ServerLimits | undefined,
): LimitExcess | null {
  if (!limits) return null;
  if (pixelCount(input) > limits.maxInputPixels)
    return { what: 'input', step: -1, size: input, limit: limits.maxInputPixels, last: false };
  const sizes = pipelineSizes(steps, input);
  const step = sizes.findIndex((s) => pixelCount(s) > limits.maxOutputPixels);
  if (step < 0) return null;
  return {
    what: 'output',
    step,
    size: sizes[step]!,
    limit: limits.maxOutputPixels,
    last: step === sizes.length - 1,
  };
}

/** "50 MP", "0.01 MP", "2.001 MP": enough digits that a size just over a limit reads as over it. */
export function formatMegapixels(pixels: number): string {
  return `${Number((pixels / 1e6).toPrecision(4))} MP`;
}

/**
 * The excess in words, e.g. "the result, 24000 × 16000 (384 MP), is over the server's 100 MP limit".
 */
export function describeExcess(excess: LimitExcess): string {
  const { width, height } = excess.size;
  const what =
    excess.what === 'input'
      ? 'the picture'
      : excess.last
        ? 'the result'
        : `step ${excess.step + 1}'s result`;
  const kind = excess.what === 'input' ? 'upload limit' : 'limit';
  return `${what}, ${width} × ${height} (${formatMegapixels(width * height)}), is over the server's ${formatMegapixels(excess.limit)} ${kind}`;
}
