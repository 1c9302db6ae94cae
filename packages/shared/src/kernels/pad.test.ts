import { describe, expect, it } from 'vitest';
import { createRgbaImage } from '../image/rgba-image';
import { padMirrored } from './pad';

/** A w×h image whose pixel (x, y) is (x, y, x + 10y, 255). */
function ramp(w: number, h: number) {
  const img = createRgbaImage(w, h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) img.data.set([x, y, x + 10 * y, 255], 4 * (y * w + x));
  return img;
}

describe('padMirrored', () => {
  it('mirrors right and bottom with the edge repeated, and keeps the picture where it was', () => {
    const out = padMirrored(ramp(3, 2), 8, 5);
    expect([out.width, out.height]).toEqual([8, 5]);
    const xs = (y: number) => Array.from({ length: 8 }, (_, x) => out.data[4 * (y * 8 + x)]);
    const ys = Array.from({ length: 5 }, (_, y) => out.data[4 * (y * 8) + 1]);
    // 3 columns: a b c | c b a | a b
    expect(xs(0)).toEqual([0, 1, 2, 2, 1, 0, 0, 1]);
    // 2 rows: 0 1 | 1 0 | 0 (pads wider than the picture keep mirroring)
    expect(ys).toEqual([0, 1, 1, 0, 0]);
    expect(out.data[4 * (1 * 8 + 2) + 2]).toBe(2 + 10);
  });

  it('returns the image itself when it already has the size', () => {
    const img = ramp(4, 4);
    expect(padMirrored(img, 4, 2)).toBe(img);
  });
});
