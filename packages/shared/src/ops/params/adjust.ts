import { z } from 'zod';
import { filterModelId } from '../../models/model-ids';
import { defineOp } from '../op-spec';
import { param } from '../param-meta';

const percent = (title: string) =>
  param(z.number().min(-100).max(100).default(0), {
    title,
    'x-unit': '%',
    'x-step': 1,
    'x-control': 'slider',
  });

export const AdjustParams = z.object({
  exposure: param(z.number().min(-3).max(3).default(0), {
    title: 'Exposure',
    'x-unit': 'EV',
    'x-step': 0.05,
    'x-control': 'slider',
  }),
  contrast: percent('Contrast'),
  saturation: percent('Saturation'),
  temperature: percent('Temperature'),
  tint: percent('Tint'),
  gamma: param(z.number().min(0.2).max(5).default(1), {
    title: 'Gamma',
    'x-step': 0.01,
    'x-control': 'slider',
  }),
});
export type AdjustParams = z.output<typeof AdjustParams>;

/**
 * The `params` tensor of the filter-adjust graph, in the order the graph reads it.
 * The graph (and its TypeScript reference) computes, per pixel with c = byte / 255:
 *   1. c *= 2^exposure
 *   2. r *= 1 + 0.2·temperature/100; b *= 1 − 0.2·temperature/100; g *= 1 − 0.2·tint/100
 *   3. c = (c − 0.5)·(1 + contrast/100) + 0.5
 *   4. l = 0.2126r + 0.7152g + 0.0722b; c = l + (c − l)·(1 + saturation/100)
 *   5. c = clamp(c, 0, 1)^(1/gamma); out = 255·c; alpha passes through.
 */
export function adjustParamVector(p: AdjustParams): Float32Array {
  return Float32Array.of(p.exposure, p.contrast, p.saturation, p.temperature, p.tint, p.gamma);
}

export const adjustOp = defineOp({
  id: 'adjust',
  title: 'Adjust',
  description: 'Exposure, contrast, saturation, white balance and gamma.',
  category: 'adjust',
  inputs: { image: 'required' },
  progressUnit: 'tile',
  params: AdjustParams,
  models: () => [filterModelId('adjust')],
  outputSize: (s) => s,
  cost: () => ({ flopsPerInputPixel: 60, bytesPerInputPixel: 32 }),
  // Per pixel: the same params at any size.
  preview: {},
});
