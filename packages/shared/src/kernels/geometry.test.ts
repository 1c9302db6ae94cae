import { describe, expect, it } from 'vitest';
import { image, noiseImage, pixel } from '../engine/testing/images';
import type { RgbaImage } from '../image/rgba-image';
import { cropRgba } from './crop';
import { applyOrientation } from './orientation';
import { resampleRgba } from './resample';
import { RESAMPLE_KERNELS, quantizeWeights, WEIGHT_ONE } from './resample-kernels';
import { resizeRgba } from './resize';
import { straightenRgba, straightenedSize, STRAIGHTEN_INTERPOLATIONS } from './straighten';

const same = (a: RgbaImage, b: RgbaImage) => {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  expect(firstDifference(a.data, b.data)).toBe(-1);
};

/** Index of the first byte that differs, -1 when none: a readable failure for big buffers. */
const firstDifference = (a: Uint8Array, b: Uint8Array) =>
  a.length !== b.length ? 0 : a.findIndex((v, i) => v !== b[i]);

const solid = (width: number, height: number, rgba: readonly number[]): RgbaImage =>
  image(
    Array.from({ length: width * height }, () => rgba),
    width,
  );

/** The largest per-byte difference between two images of one size. */
const maxDiff = (a: RgbaImage, b: RgbaImage) =>
  a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);

const photo = noiseImage(37, 23);
const cutout = noiseImage(37, 23, true);

describe('crop', () => {
  it('keeps exactly the rectangle, pixel for pixel', () => {
    const out = cropRgba(photo, { x: 5, y: 3, width: 20, height: 11 });
    expect([out.width, out.height]).toEqual([20, 11]);
    for (let y = 0; y < 11; y++)
      for (let x = 0; x < 20; x++) expect(pixel(out, x, y)).toEqual(pixel(photo, x + 5, y + 3));
  });

  it('refuses a rectangle that leaves the picture', () => {
    expect(() => cropRgba(photo, { x: 30, y: 0, width: 8, height: 1 })).toThrow(/outside 37×23/);
  });
});

describe('rotate and flip (exact pixel moves)', () => {
  it('four quarter turns are the identity, and a quarter turn moves (x, y) to (H−1−y, x)', () => {
    let turned = cutout;
    for (let i = 0; i < 4; i++) turned = applyOrientation(turned, 6);
    same(turned, cutout);
    const once = applyOrientation(cutout, 6);
    expect([once.width, once.height]).toEqual([23, 37]);
    expect(pixel(once, 23 - 1 - 4, 9)).toEqual(pixel(cutout, 9, 4));
    same(applyOrientation(applyOrientation(cutout, 6), 8), cutout);
    same(applyOrientation(applyOrientation(cutout, 3), 3), cutout);
  });

  it('flipping twice is the identity; once mirrors', () => {
    for (const o of [2, 4] as const) same(applyOrientation(applyOrientation(cutout, o), o), cutout);
    expect(pixel(applyOrientation(cutout, 2), 0, 7)).toEqual(pixel(cutout, 36, 7));
    expect(pixel(applyOrientation(cutout, 4), 3, 0)).toEqual(pixel(cutout, 3, 22));
  });
});

describe('quantizeWeights', () => {
  it('sums to exactly one in fixed point, whatever the rounding did', () => {
    const w = quantizeWeights([1 / 3, 1 / 3, 1 / 3]);
    expect(w.reduce((a, b) => a + b, 0)).toBe(WEIGHT_ONE);
    expect(Array.from(quantizeWeights([0.25, 0.5, 0.25]))).toEqual([4096, 8192, 4096]);
  });
});

describe('resampleRgba', () => {
  it.each(RESAMPLE_KERNELS)('%s at the same size is the identity', (kernel) => {
    same(resampleRgba(photo, photo, kernel), photo);
    if (kernel === 'nearest') return same(resampleRgba(cutout, cutout, kernel), cutout);
    // Filters with alpha: every visible pixel is kept exactly; an invisible one's colour becomes 0.
    const out = resampleRgba(cutout, cutout, kernel);
    for (let i = 0; i < cutout.data.length; i += 4) {
      const a = cutout.data[i + 3]!;
      const expected = a === 0 ? [0, 0, 0, 0] : Array.from(cutout.data.subarray(i, i + 4));
      expect(Array.from(out.data.subarray(i, i + 4))).toEqual(expected);
    }
  });

  it('nearest ×2 duplicates every pixel into a 2×2 block', () => {
    const out = resampleRgba(cutout, { width: 74, height: 46 }, 'nearest');
    for (let y = 0; y < 46; y++)
      for (let x = 0; x < 74; x++) expect(pixel(out, x, y)).toEqual(pixel(cutout, x >> 1, y >> 1));
  });

  it.each(RESAMPLE_KERNELS)('%s keeps a flat picture flat, enlarged or shrunk', (kernel) => {
    const flat = solid(13, 9, [200, 17, 90, 140]);
    for (const to of [
      { width: 40, height: 31 },
      { width: 5, height: 4 },
      { width: 13, height: 2 },
    ]) {
      const out = resampleRgba(flat, to, kernel);
      for (let i = 0; i < out.data.length; i += 4)
        expect(Array.from(out.data.subarray(i, i + 4))).toEqual([200, 17, 90, 140]);
    }
  });

  it('resamples premultiplied: a cut-out edge takes no colour from the transparent side', () => {
    // Left half transparent *black*, right half opaque red: a straight-RGBA filter would darken the edge.
    const edge = image(
      Array.from({ length: 8 * 4 }, (_, i) => (i % 8 < 4 ? [0, 0, 0, 0] : [255, 0, 0, 255])),
      8,
    );
    for (const kernel of ['bilinear', 'bicubic', 'lanczos3'] as const) {
      const out = resampleRgba(edge, { width: 29, height: 7 }, kernel);
      let partial = 0;
      for (let i = 0; i < out.data.length; i += 4) {
        const a = out.data[i + 3]!;
        if (a > 0 && a < 255) partial++;
        if (a > 0) expect([out.data[i], out.data[i + 1], out.data[i + 2]]).toEqual([255, 0, 0]);
      }
      expect(partial).toBeGreaterThan(0);
    }
  });

  it('bilinear enlargement agrees with the float resize the models use (opaque, ±1)', () => {
    const to = { width: 81, height: 50 };
    expect(maxDiff(resampleRgba(photo, to, 'bilinear'), resizeRgba(photo, to))).toBeLessThanOrEqual(
      1,
    );
  });

  it.each(['bicubic', 'lanczos3'] as const)('%s commutes with a mirror (±1)', (kernel) => {
    const to = { width: 52, height: 17 };
    const mirroredFirst = resampleRgba(applyOrientation(photo, 2), to, kernel);
    const mirroredAfter = applyOrientation(resampleRgba(photo, to, kernel), 2);
    expect(maxDiff(mirroredFirst, mirroredAfter)).toBeLessThanOrEqual(1);
  });

  it('refuses an empty target', () => {
    expect(() => resampleRgba(photo, { width: 0, height: 4 }, 'bicubic')).toThrow(RangeError);
  });
});

describe('straighten', () => {
  it('sizes: expand holds the whole turned picture, crop the largest same-shape rectangle in it', () => {
    expect(straightenedSize({ width: 100, height: 100 }, 45, 'expand')).toEqual({
      width: 142,
      height: 142,
    });
    // k = 1 / (cos 45° + sin 45°) = 1/√2.
    expect(straightenedSize({ width: 100, height: 100 }, -45, 'crop')).toEqual({
      width: 70,
      height: 70,
    });
    expect(straightenedSize({ width: 300, height: 200 }, 0, 'crop')).toEqual({
      width: 300,
      height: 200,
    });
  });

  it('0° is the identity', () => {
    same(straightenRgba(cutout, 0, 'bicubic', 'crop'), cutout);
  });

  it.each(STRAIGHTEN_INTERPOLATIONS)(
    '%s: crop leaves no empty corner on a flat picture',
    (interp) => {
      const flat = solid(40, 30, [10, 200, 30, 255]);
      for (const angle of [7.3, -20, 45]) {
        const out = straightenRgba(flat, angle, interp, 'crop');
        expect([out.width, out.height]).toEqual(
          Object.values(straightenedSize(flat, angle, 'crop')),
        );
        for (let i = 0; i < out.data.length; i += 4)
          expect(Array.from(out.data.subarray(i, i + 4))).toEqual([10, 200, 30, 255]);
      }
    },
  );

  it('expand fills the corners with transparency and keeps the centre', () => {
    const flat = solid(40, 30, [10, 200, 30, 255]);
    const out = straightenRgba(flat, 30, 'bilinear', 'expand');
    expect(pixel(out, 0, 0)[3]).toBe(0);
    expect(pixel(out, out.width - 1, out.height - 1)[3]).toBe(0);
    expect(pixel(out, out.width >> 1, out.height >> 1)).toEqual([10, 200, 30, 255]);
  });

  it('a positive angle turns clockwise: a level line falls to the right', () => {
    const line = image(
      Array.from({ length: 101 * 21 }, (_, i) =>
        Math.floor(i / 101) === 10 ? [0, 0, 0, 255] : [255, 255, 255, 255],
      ),
      101,
    );
    const out = straightenRgba(line, 10, 'bilinear', 'expand');
    // Transparent corners store black too: only visible pixels count.
    const ink = (x: number, y: number) => {
      const [r, , , a] = pixel(out, x, y);
      return a! === 0 ? 0 : 255 - r!;
    };
    const darkestRow = (x: number) => {
      let best = 0;
      for (let y = 1; y < out.height; y++) if (ink(x, y) > ink(x, best)) best = y;
      return best;
    };
    const mid = out.height >> 1;
    expect(darkestRow(out.width - 20)).toBeGreaterThan(mid + 5);
    expect(darkestRow(19)).toBeLessThan(mid - 5);
  });
});
