import { z } from 'zod';
import { filterModelId } from '../../models/model-ids';
import { defineOp } from '../op-spec';
import { param } from '../param-meta';
import { gaussianHalfWidth } from './blur';

const MIN_RADIUS = 0.5;

export const SharpenParams = z.object({
  amount: param(z.number().min(0).max(5).default(1), {
    title: 'Amount',
    'x-step': 0.05,
    'x-control': 'slider',
  }),
  radius: param(z.number().min(MIN_RADIUS).max(10).default(1.5), {
    title: 'Radius',
    'x-unit': 'px',
    'x-step': 0.1,
    'x-control': 'slider',
  }),
});
export type SharpenParams = z.output<typeof SharpenParams>;

/** Unsharp mask on RGB: out = c + amount·(c − gaussian(c, radius)); alpha passes through. */
export const sharpenOp = defineOp({
  id: 'sharpen',
  title: 'Sharpen',
  description: 'Unsharp mask: boost edges by the difference from a blurred copy.',
  category: 'filter',
  inputs: { image: 'required' },
  progressUnit: 'tile',
  params: SharpenParams,
  models: () => [filterModelId('sharpen')],
  outputSize: (s) => s,
  cost: (p) => ({
    flopsPerInputPixel: 2 * 3 * 2 * (2 * gaussianHalfWidth(p.radius) + 1) + 9,
    bytesPerInputPixel: 48,
  }),
  preview: { scaleParams: (p, k) => ({ ...p, radius: Math.max(MIN_RADIUS, p.radius * k) }) },
});
