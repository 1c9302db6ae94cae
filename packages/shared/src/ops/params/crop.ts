import { z } from 'zod';
import type { Size } from '../../image/rgba-image';
import type { Rect } from '../../kernels/rect';
import { defineOp, type InputIssue } from '../op-spec';
import { param } from '../param-meta';
import { GEOMETRY_COST, MAX_SIDE } from './geometry-limits';

const pixels = (title: string, description: string) =>
  param(z.number().int().min(0).max(MAX_SIDE).default(0), {
    title,
    description,
    'x-unit': 'px',
    'x-step': 1,
    'x-control': 'slider',
  });

export const CropParams = z.object({
  x: pixels('Left', 'Left edge of the kept rectangle, from the picture’s left.'),
  y: pixels('Top', 'Top edge of the kept rectangle, from the picture’s top.'),
  width: pixels('Width', 'Width kept; 0 keeps everything right of the left edge.'),
  height: pixels('Height', 'Height kept; 0 keeps everything below the top edge.'),
});
export type CropParams = z.output<typeof CropParams>;

/**
 * The rectangle a crop keeps, with 0 width or height resolved to "up to the edge". The
 * defaults (all 0) keep the whole picture, so the op is valid before its handles move.
 *
 * @example cropRect({ width: 100, height: 80 }, { x: 10, y: 0, width: 0, height: 40 })
 *   // { x: 10, y: 0, width: 90, height: 40 }
 */
export function cropRect(input: Size, p: CropParams): Rect {
  return {
    x: p.x,
    y: p.y,
    width: p.width || Math.max(0, input.width - p.x),
    height: p.height || Math.max(0, input.height - p.y),
  };
}

/** Each parameter that puts the rectangle outside the picture, named, with the limit. */
export function cropIssues(input: Size, p: CropParams): InputIssue[] {
  const issues: InputIssue[] = [];
  const r = cropRect(input, p);
  if (p.x >= input.width)
    issues.push({ param: 'x', message: `must be below the image width ${input.width}` });
  else if (r.x + r.width > input.width)
    issues.push({
      param: 'width',
      message: `x + width is ${r.x + r.width}, past the image width ${input.width}`,
    });
  if (p.y >= input.height)
    issues.push({ param: 'y', message: `must be below the image height ${input.height}` });
  else if (r.y + r.height > input.height)
    issues.push({
      param: 'height',
      message: `y + height is ${r.y + r.height}, past the image height ${input.height}`,
    });
  return issues;
}

export const cropOp = defineOp({
  id: 'crop',
  title: 'Crop',
  description: 'Keep a rectangle of the picture: drag its handles on the stage or set it here.',
  category: 'geometry',
  inputs: { image: 'required' },
  progressUnit: 'tile',
  params: CropParams,
  models: () => [],
  outputSize: (s, p) => {
    const r = cropRect(s, p);
    // Clamped so sizes stay meaningful for a crop that inputIssues will refuse.
    return {
      width: Math.max(1, Math.min(r.width, s.width - Math.min(r.x, s.width - 1))),
      height: Math.max(1, Math.min(r.height, s.height - Math.min(r.y, s.height - 1))),
    };
  },
  cost: () => GEOMETRY_COST,
  inputIssues: cropIssues,
});
