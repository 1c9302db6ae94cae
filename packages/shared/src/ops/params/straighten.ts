import { z } from 'zod';
import {
  STRAIGHTEN_FITS,
  STRAIGHTEN_INTERPOLATIONS,
  straightenedSize,
} from '../../kernels/straighten';
import { defineOp } from '../op-spec';
import { param } from '../param-meta';
import { GEOMETRY_COST } from './geometry-limits';

export const StraightenParams = z.object({
  angle: param(z.number().min(-45).max(45).default(0), {
    title: 'Angle',
    description: 'Positive turns the picture clockwise.',
    'x-unit': '°',
    'x-step': 0.1,
    'x-control': 'slider',
  }),
  interpolation: param(z.enum(STRAIGHTEN_INTERPOLATIONS).default('bicubic'), {
    title: 'Interpolation',
    'x-control': 'select',
    'x-options': { bilinear: 'Bilinear', bicubic: 'Bicubic (Catmull-Rom)' },
  }),
  fit: param(z.enum(STRAIGHTEN_FITS).default('crop'), {
    title: 'Edges',
    description:
      'Crop keeps the largest centred rectangle of the same shape; expand keeps every pixel and fills the corners with transparency.',
    'x-control': 'select',
    'x-options': { crop: 'Crop to fill', expand: 'Expand (transparent corners)' },
  }),
});
export type StraightenParams = z.output<typeof StraightenParams>;

export const straightenOp = defineOp({
  id: 'straighten',
  title: 'Straighten',
  description: 'Level a tilted horizon by a small angle.',
  category: 'geometry',
  inputs: { image: 'required' },
  progressUnit: 'tile',
  params: StraightenParams,
  models: () => [],
  outputSize: (s, p) => straightenedSize(s, p.angle, p.fit),
  cost: (p) => ({
    flopsPerInputPixel: (p.interpolation === 'bicubic' ? 16 : 4) * 8,
    bytesPerInputPixel: GEOMETRY_COST.bytesPerInputPixel,
  }),
});
