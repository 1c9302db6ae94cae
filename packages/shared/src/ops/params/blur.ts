import { z } from 'zod';
import { filterModelId } from '../../models/model-ids';
import { defineOp } from '../op-spec';
import { param } from '../param-meta';

const MIN_RADIUS = 0.5;

export const BlurParams = z.object({
  radius: param(z.number().min(MIN_RADIUS).max(50).default(4), {
    title: 'Radius',
    description: 'Gaussian standard deviation in pixels.',
    'x-unit': 'px',
    'x-step': 0.5,
    'x-control': 'slider',
  }),
});
export type BlurParams = z.output<typeof BlurParams>;

/** Half-width of the sampled Gaussian: 3σ holds 99.7% of its weight. */
export function gaussianHalfWidth(sigma: number): number {
  return Math.max(1, Math.ceil(3 * sigma));
}

/**
 * Normalised 1-D Gaussian taps (length 2·halfWidth + 1): the `kernel` input of the
 * blur and sharpen graphs, applied separably with edge-replicating borders. Blur runs
 * on premultiplied RGBA so transparent pixels do not bleed their colour.
 */
export function gaussianKernel(sigma: number): Float32Array {
  const half = gaussianHalfWidth(sigma);
  const taps = new Float64Array(2 * half + 1);
  let sum = 0;
  for (let i = -half; i <= half; i++) {
    const w = Math.exp(-(i * i) / (2 * sigma * sigma));
    taps[i + half] = w;
    sum += w;
  }
  return Float32Array.from(taps, (w) => w / sum);
}

export const blurOp = defineOp({
  id: 'blur',
  title: 'Blur',
  description: 'Gaussian blur that respects transparency.',
  category: 'filter',
  inputs: { image: 'required' },
  progressUnit: 'tile',
  params: BlurParams,
  models: () => [filterModelId('blur')],
  outputSize: (s) => s,
  cost: (p) => ({
    flopsPerInputPixel: 2 * 4 * 2 * (2 * gaussianHalfWidth(p.radius) + 1),
    bytesPerInputPixel: 48,
  }),
  preview: { scaleParams: (p, k) => ({ radius: Math.max(MIN_RADIUS, p.radius * k) }) },
});
