import { z } from 'zod';
import type { ExifOrientation } from '../../kernels/orientation';
import { defineOp } from '../op-spec';
import { param } from '../param-meta';
import { GEOMETRY_COST } from './geometry-limits';

export const ROTATE_ANGLES = [90, 180, 270] as const;
export const FLIP_AXES = ['horizontal', 'vertical'] as const;

export const RotateParams = z.object({
  angle: param(
    z
      .union(
        ROTATE_ANGLES.map((a) => z.literal(a)) as unknown as [
          z.ZodLiteral<90>,
          z.ZodLiteral<180>,
          z.ZodLiteral<270>,
        ],
      )
      .default(90),
    {
      title: 'Angle',
      description: 'Clockwise. Pixels move exactly; nothing is resampled.',
      'x-unit': '°',
      'x-control': 'select',
      'x-options': { 90: '90° clockwise', 180: '180°', 270: '90° counter-clockwise' },
    },
  ),
});
export type RotateParams = z.output<typeof RotateParams>;

export const FlipParams = z.object({
  axis: param(z.enum(FLIP_AXES).default('horizontal'), {
    title: 'Direction',
    'x-control': 'select',
    'x-options': { horizontal: 'Horizontal (mirror)', vertical: 'Vertical (upside down)' },
  }),
});
export type FlipParams = z.output<typeof FlipParams>;

/**
 * Quarter turns and mirrors are the EXIF orientations' pixel moves (kernels/orientation.ts):
 * orientation n is the transform that shows stored pixels upright.
 */
export const ROTATE_ORIENTATION: Record<RotateParams['angle'], ExifOrientation> = {
  90: 6,
  180: 3,
  270: 8,
};
export const FLIP_ORIENTATION: Record<FlipParams['axis'], ExifOrientation> = {
  horizontal: 2,
  vertical: 4,
};

export const rotateOp = defineOp({
  id: 'rotate',
  title: 'Rotate',
  description: 'Turn by a quarter or half turn.',
  category: 'geometry',
  inputs: { image: 'required' },
  progressUnit: 'tile',
  params: RotateParams,
  models: () => [],
  outputSize: (s, p) => (p.angle === 180 ? { ...s } : { width: s.height, height: s.width }),
  cost: () => GEOMETRY_COST,
});

export const flipOp = defineOp({
  id: 'flip',
  title: 'Flip',
  description: 'Mirror left to right, or top to bottom.',
  category: 'geometry',
  inputs: { image: 'required' },
  progressUnit: 'tile',
  params: FlipParams,
  models: () => [],
  outputSize: (s) => ({ width: s.width, height: s.height }),
  cost: () => GEOMETRY_COST,
});
