import { cropIssues } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import {
  CROP_ASPECTS,
  CROP_HANDLES,
  boxFromParams,
  dragBox,
  fitAspect,
  keyNudge,
  type CropBox,
} from './crop-box';

const image = { width: 200, height: 120 };
const box: CropBox = { x: 50, y: 30, width: 80, height: 40 };

const inside = (b: CropBox) =>
  cropIssues(image, b).length === 0 && b.width >= 1 && b.height >= 1 && b.x >= 0 && b.y >= 0;

describe('boxFromParams', () => {
  it('reads 0 sides as reaching the edge and clamps params made for a bigger picture', () => {
    expect(boxFromParams({ x: 0, y: 0, width: 0, height: 0 }, image)).toEqual({
      x: 0,
      y: 0,
      width: 200,
      height: 120,
    });
    expect(boxFromParams({ x: 190, y: 100, width: 50, height: 50 }, image)).toEqual({
      x: 190,
      y: 100,
      width: 10,
      height: 20,
    });
    expect(boxFromParams({ x: 500, y: 0, width: 0, height: 0 }, image).x).toBe(199);
  });
});

describe('dragBox, free', () => {
  it('moves only the dragged edges', () => {
    expect(dragBox(box, 'se', 10, 5, image, null)).toEqual({ x: 50, y: 30, width: 90, height: 45 });
    expect(dragBox(box, 'nw', -10, -5, image, null)).toEqual({
      x: 40,
      y: 25,
      width: 90,
      height: 45,
    });
    expect(dragBox(box, 'e', 7, 99, image, null)).toEqual({ ...box, width: 87 });
    expect(dragBox(box, 'n', 99, -4, image, null)).toEqual({ ...box, y: 26, height: 44 });
  });

  it('stops at the picture’s edges and never goes below 1×1', () => {
    expect(dragBox(box, 'se', 1000, 1000, image, null)).toEqual({
      x: 50,
      y: 30,
      width: 150,
      height: 90,
    });
    expect(dragBox(box, 'w', 1000, 0, image, null)).toEqual({ ...box, x: 129, width: 1 });
    expect(dragBox(box, 'move', -1000, 1000, image, null)).toEqual({ ...box, x: 0, y: 80 });
  });

  it('works in whole pixels from a fractional pointer delta', () => {
    expect(dragBox(box, 'move', 2.4, 2.6, image, null)).toEqual({ ...box, x: 52, y: 33 });
  });
});

describe('dragBox, fixed aspect', () => {
  it.each(Object.entries(CROP_ASPECTS).filter(([, a]) => a !== null))(
    '%s holds for every handle, every drag, inside the picture',
    (_name, aspect) => {
      const start = fitAspect(box, aspect, image);
      for (const handle of CROP_HANDLES)
        for (const [dx, dy] of [
          [13, 4],
          [-30, 2],
          [0, -25],
          [500, 500],
          [-500, -500],
        ] as const) {
          const b = dragBox(start, handle, dx, dy, image, aspect);
          expect(inside(b)).toBe(true);
          // Whole pixels: the ratio is kept to within one pixel's rounding.
          expect(Math.abs(b.width / aspect! - b.height)).toBeLessThanOrEqual(1);
        }
    },
  );

  it('keeps the opposite corner of a corner drag fixed', () => {
    const square = { x: 50, y: 30, width: 40, height: 40 };
    expect(dragBox(square, 'se', 20, 3, image, 1)).toEqual({ x: 50, y: 30, width: 60, height: 60 });
    expect(dragBox(square, 'nw', -10, -25, image, 1)).toEqual({
      x: 25,
      y: 5,
      width: 65,
      height: 65,
    });
  });
});

describe('fitAspect', () => {
  it('takes the largest centred box of the ratio inside the current one', () => {
    expect(fitAspect({ x: 0, y: 0, width: 200, height: 120 }, 1, image)).toEqual({
      x: 40,
      y: 0,
      width: 120,
      height: 120,
    });
    expect(fitAspect({ x: 0, y: 0, width: 200, height: 120 }, 16 / 9, image)).toEqual({
      x: 0,
      y: 4,
      width: 200,
      height: 113,
    });
    expect(fitAspect(box, null, image)).toBe(box);
  });
});

describe('keyNudge', () => {
  it('maps arrows to one pixel, ten with Shift, and nothing else', () => {
    expect(keyNudge('ArrowLeft', false)).toEqual({ dx: -1, dy: 0 });
    expect(keyNudge('ArrowDown', true)).toEqual({ dx: 0, dy: 10 });
    expect(keyNudge('Enter', false)).toBeNull();
    const b = keyNudge('ArrowRight', true)!;
    expect(dragBox(box, 'move', b.dx, b.dy, image, null)).toEqual({ ...box, x: 60 });
  });
});
