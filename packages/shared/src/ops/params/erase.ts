import { z } from 'zod';
import { INPAINT_ALGORITHMS } from '../../engine/inpainter';
import { defineOp } from '../op-spec';
import { param } from '../param-meta';

export const EraseParams = z.object({
  algorithm: param(z.enum(INPAINT_ALGORITHMS).default('telea'), {
    title: 'Method',
    description:
      'How the hole is filled from its surroundings (OpenCV inpaint): Telea marches in from the edge; Navier–Stokes continues edges and lines into the hole.',
    'x-control': 'select',
    'x-options': { telea: 'Fast marching (Telea)', ns: 'Navier–Stokes' },
  }),
  radius: param(z.number().int().min(1).max(25).default(5), {
    title: 'Radius',
    description: 'How far around each filled pixel the surroundings are read.',
    'x-unit': 'px',
    'x-step': 1,
    'x-control': 'slider',
  }),
  grow: param(z.number().int().min(0).max(32).default(0), {
    title: 'Grow mask',
    description:
      'Widen the painted mask by this much first, to take an object’s soft edge and shadow too. Pixels outside the grown mask are kept exactly.',
    'x-unit': 'px',
    'x-step': 1,
    'x-control': 'slider',
  }),
});
export type EraseParams = z.output<typeof EraseParams>;

/**
 * Margin around the mask's bounding box that the fill reads: OpenCV reads known pixels within
 * `radius` of each filled one; the extra pixels keep its border handling off the crop's edge.
 */
export function eraseMargin(p: EraseParams): number {
  return p.radius + 2;
}

export const eraseOp = defineOp({
  id: 'erase',
  title: 'Erase object',
  description:
    'Remove what the mask covers and fill it from its surroundings (classical inpainting, no model). Pixels outside the mask stay exactly as they were; transparency is kept.',
  category: 'retouch',
  inputs: { image: 'required', mask: 'required' },
  progressUnit: 'tile',
  params: EraseParams,
  models: () => [],
  outputSize: (s) => s,
  // The fill's cost grows with the masked area, only known from the mask; priced as a mask
  // covering the whole picture, so the estimate never undersells it.
  cost: (p) => ({
    flopsPerInputPixel: 40 * (2 * p.radius + 1) ** 2,
    bytesPerInputPixel: 4 + 3 + 1 + 3 + 16,
  }),
});
