import { z } from 'zod';
import type { Size } from '../../image/rgba-image';
import { KERNEL_SHAPES, RESAMPLE_KERNELS } from '../../kernels/resample-kernels';
import { defineOp } from '../op-spec';
import { param } from '../param-meta';
import { GEOMETRY_COST, MAX_SIDE } from './geometry-limits';

export const RESIZE_MODES = ['scale', 'size'] as const;

const side = (title: string, other: string) =>
  param(z.number().int().min(0).max(MAX_SIDE).default(0), {
    title,
    description: `0 follows the ${other}, keeping the aspect ratio; both 0 keep the size.`,
    'x-unit': 'px',
    'x-step': 1,
    'x-control': 'slider',
    'x-visible-when': { mode: ['size'] },
  });

export const ResizeParams = z.object({
  mode: param(z.enum(RESIZE_MODES).default('scale'), {
    title: 'Resize by',
    'x-control': 'select',
    'x-options': { scale: 'Scale factor', size: 'Width and height' },
  }),
  scale: param(z.number().min(0.01).max(8).default(0.5), {
    title: 'Scale',
    'x-unit': '×',
    'x-step': 0.01,
    'x-control': 'slider',
    'x-visible-when': { mode: ['scale'] },
  }),
  width: side('Width', 'height'),
  height: side('Height', 'width'),
  kernel: param(z.enum(RESAMPLE_KERNELS).default('lanczos3'), {
    title: 'Resampling',
    description:
      'Lanczos-3 is sharpest; bicubic is Catmull-Rom; nearest copies pixels (pixel art). Shrinking widens the kernel so nothing aliases.',
    'x-control': 'select',
    'x-options': {
      nearest: 'Nearest neighbour',
      bilinear: 'Bilinear',
      bicubic: 'Bicubic (Catmull-Rom)',
      lanczos3: 'Lanczos-3',
    },
  }),
});
export type ResizeParams = z.output<typeof ResizeParams>;

const atLeastOne = (v: number) => Math.max(1, Math.round(v));

/**
 * The size a resize produces.
 *
 * @example resizedSize({ width: 400, height: 300 }, { mode: 'size', width: 200, height: 0, … })
 *   // { width: 200, height: 150 }
 */
export function resizedSize(input: Size, p: ResizeParams): Size {
  const { width: w, height: h } = input;
  if (p.mode === 'scale')
    return { width: atLeastOne(w * p.scale), height: atLeastOne(h * p.scale) };
  if (p.width && p.height) return { width: p.width, height: p.height };
  if (p.width) return { width: p.width, height: atLeastOne((h * p.width) / w) };
  if (p.height) return { width: atLeastOne((w * p.height) / h), height: p.height };
  return { width: w, height: h };
}

export const resizeOp = defineOp({
  id: 'resize',
  title: 'Resize',
  description: 'Change the pixel size with a named resampling kernel.',
  category: 'geometry',
  inputs: { image: 'required' },
  progressUnit: 'tile',
  params: ResizeParams,
  models: () => [],
  outputSize: resizedSize,
  cost: (p) => {
    const taps = p.kernel === 'nearest' ? 0 : 2 * KERNEL_SHAPES[p.kernel].radius;
    // Two separable passes of `taps` multiply-adds on four channels.
    return {
      flopsPerInputPixel: 2 * 2 * 4 * taps,
      bytesPerInputPixel: GEOMETRY_COST.bytesPerInputPixel,
    };
  },
});
