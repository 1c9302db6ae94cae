import { describe, expect, it } from 'vitest';
import {
  bleedTransparentRgb,
  clearTransparent,
  hasColourUnderTransparent,
  extractAlpha,
  isOpaque,
  premultiply,
  resizeAlpha,
  setAlpha,
  unpremultiply,
} from './alpha';

const img = (width: number, height: number, ...px: number[][]) => ({
  width,
  height,
  data: Uint8Array.from(px.flat()),
});

describe('isOpaque', () => {
  it('is true only when every alpha is 255, the last pixel included', () => {
    expect(isOpaque(img(2, 1, [0, 0, 0, 255], [9, 9, 9, 255]))).toBe(true);
    expect(isOpaque(img(3, 1, [0, 0, 0, 255], [9, 9, 9, 255], [255, 255, 255, 254]))).toBe(false);
    expect(isOpaque(img(1, 1, [255, 255, 255, 0]))).toBe(false);
  });

  it('handles views that do not start on a 4-byte boundary', () => {
    const buffer = new Uint8Array(9);
    buffer.set([1, 2, 3, 255, 4, 5, 6, 255], 1);
    expect(isOpaque({ width: 2, height: 1, data: buffer.subarray(1) })).toBe(true);
    buffer[8] = 17;
    expect(isOpaque({ width: 2, height: 1, data: buffer.subarray(1) })).toBe(false);
  });
});

describe('alpha plane', () => {
  it('extracts and sets alpha without touching colour', () => {
    const image = img(2, 1, [1, 2, 3, 40], [5, 6, 7, 80]);
    expect(Array.from(extractAlpha(image))).toEqual([40, 80]);
    setAlpha(image, Uint8Array.of(90, 100));
    expect(Array.from(image.data)).toEqual([1, 2, 3, 90, 5, 6, 7, 100]);
    setAlpha(image, 255);
    expect(Array.from(image.data)).toEqual([1, 2, 3, 255, 5, 6, 7, 255]);
    expect(() => setAlpha(image, Uint8Array.of(1))).toThrow(RangeError);
  });

  it('premultiplies and unpremultiplies in place with rounding', () => {
    const image = img(2, 1, [200, 100, 50, 128], [255, 255, 255, 0]);
    premultiply(image);
    expect(Array.from(image.data)).toEqual([100, 50, 25, 128, 0, 0, 0, 0]);
    unpremultiply(image);
    expect(Array.from(image.data)).toEqual([199, 100, 50, 128, 0, 0, 0, 0]);
  });

  it('resizes alpha by an integer scale or to a size, pixel-centre aligned', () => {
    const alpha = Uint8Array.of(0, 255);
    expect(Array.from(resizeAlpha(alpha, { width: 2, height: 1 }, 2))).toEqual([
      0, 64, 191, 255, 0, 64, 191, 255,
    ]);
    expect(
      Array.from(resizeAlpha(alpha, { width: 2, height: 1 }, { width: 3, height: 1 })),
    ).toEqual([0, 128, 255]);
  });
});

describe('bleedTransparentRgb', () => {
  it('gives fully transparent pixels the colour of the nearest visible pixel, alpha unchanged', () => {
    const T = [0, 0, 0, 0];
    const a = [200, 100, 50, 128];
    const b = [10, 20, 30, 255];
    const image = img(5, 1, T, a, T, T, b);
    const out = bleedTransparentRgb(image);
    expect(Array.from(out.data)).toEqual(
      [[200, 100, 50, 0], a, [200, 100, 50, 0], [10, 20, 30, 0], b].flat(),
    );
    expect(Array.from(image.data)).toEqual([T, a, T, T, b].flat());
  });

  it('fills in two dimensions and leaves an all-transparent image as it is', () => {
    const T = [0, 0, 0, 0];
    const c = [9, 8, 7, 1];
    const out = bleedTransparentRgb(img(3, 3, T, T, T, T, c, T, T, T, T));
    for (let i = 0; i < 9; i++)
      expect(Array.from(out.data.subarray(4 * i, 4 * i + 3))).toEqual([9, 8, 7]);
    // Far corners of a 9×9 image reach the single seed through both passes.
    const big = img(9, 9, ...Array.from({ length: 81 }, (_, i) => (i === 40 ? c : T)));
    expect(Array.from(bleedTransparentRgb(big).data.subarray(0, 4))).toEqual([9, 8, 7, 0]);
    expect(Array.from(bleedTransparentRgb(big).data.subarray(320, 324))).toEqual([9, 8, 7, 0]);
    expect(Array.from(bleedTransparentRgb(img(2, 1, [5, 5, 5, 0], T)).data)).toEqual([
      5, 5, 5, 0, 0, 0, 0, 0,
    ]);
  });
});

describe('clearTransparent', () => {
  it('zeroes colour under alpha 0 only, in place, and says how many it cleared', () => {
    const picture = img(4, 1, [200, 100, 50, 0], [0, 0, 0, 0], [200, 100, 50, 1], [9, 8, 7, 255]);
    expect(hasColourUnderTransparent(picture)).toBe(true);
    expect(clearTransparent(picture)).toBe(1);
    expect(Array.from(picture.data)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 200, 100, 50, 1, 9, 8, 7, 255,
    ]);
    expect(hasColourUnderTransparent(picture)).toBe(false);
    expect(clearTransparent(picture)).toBe(0);
  });
});
