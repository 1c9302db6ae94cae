import { describe, expect, it } from 'vitest';
import { resizePlane, resizeRgba } from './resize';

const plane = (...v: number[]) => Float32Array.from(v);

describe('resizePlane', () => {
  it('upsamples bilinearly with pixel centres aligned and edges clamped', () => {
    expect(
      Array.from(resizePlane(plane(0, 1), { width: 2, height: 1 }, { width: 4, height: 1 })),
    ).toEqual([0, 0.25, 0.75, 1]);
    // 2×2 → 4×4: output (1, 1) samples source (0.25, 0.25).
    const out = resizePlane(
      plane(0, 100, 200, 255),
      { width: 2, height: 2 },
      { width: 4, height: 4 },
    );
    expect(out[5]).toBeCloseTo(
      0.75 * 0.75 * 0 + 0.25 * 0.75 * 100 + 0.75 * 0.25 * 200 + 0.25 * 0.25 * 255,
      4,
    );
    expect([out[0], out[3], out[12], out[15]]).toEqual([0, 100, 200, 255]);
  });

  it('is the identity at the same size and averages pairs at half size', () => {
    const src = plane(3, 1, 4, 1, 5, 9);
    expect(resizePlane(src, { width: 3, height: 2 }, { width: 3, height: 2 })).toEqual(src);
    expect(
      Array.from(
        resizePlane(plane(0, 10, 20, 30), { width: 4, height: 1 }, { width: 2, height: 1 }),
      ),
    ).toEqual([5, 25]);
  });

  it('averages covered area when downscaling with the area filter, fractional cover included', () => {
    const area = (v: Float32Array, from: number, to: number) =>
      Array.from(resizePlane(v, { width: from, height: 1 }, { width: to, height: 1 }, 'area'));
    expect(area(plane(0, 3, 6, 9, 12, 15), 6, 2)).toEqual([3, 12]);
    const thirds = area(plane(0, 30, 60, 90), 4, 3);
    expect(thirds[0]).toBeCloseTo(7.5, 5);
    expect(thirds[1]).toBeCloseTo(45, 5);
    expect(thirds[2]).toBeCloseTo(82.5, 5);
    // Bilinear at 1/4 samples only two pixels; area sees all eight.
    const spike = plane(0, 0, 80, 0, 0, 0, 0, 0);
    expect(
      Array.from(resizePlane(spike, { width: 8, height: 1 }, { width: 2, height: 1 })),
    ).toEqual([40, 0]);
    expect(area(spike, 8, 2)).toEqual([20, 0]);
  });

  it('rounds byte planes half away from zero and checks the plane length', () => {
    const out = resizePlane(
      Uint8Array.of(0, 255),
      { width: 2, height: 1 },
      { width: 4, height: 1 },
    );
    expect(out).toBeInstanceOf(Uint8Array);
    expect(Array.from(out)).toEqual([0, 64, 191, 255]);
    expect(() =>
      resizePlane(Uint8Array.of(0), { width: 2, height: 1 }, { width: 4, height: 1 }),
    ).toThrow(RangeError);
  });
});

describe('resizeRgba', () => {
  it('resizes every channel independently', () => {
    const img = { width: 2, height: 1, data: Uint8Array.of(0, 10, 200, 0, 255, 30, 100, 255) };
    const out = resizeRgba(img, { width: 4, height: 2 });
    expect([out.width, out.height]).toEqual([4, 2]);
    expect(Array.from(out.data.subarray(0, 16))).toEqual([
      0, 10, 200, 0, 64, 15, 175, 64, 191, 25, 125, 191, 255, 30, 100, 255,
    ]);
    expect(out.data.subarray(16)).toEqual(out.data.subarray(0, 16));
  });

  it('resizes to the ISNet input size', () => {
    const img = { width: 3, height: 2, data: new Uint8Array(24).fill(77) };
    const out = resizeRgba(img, { width: 1024, height: 1024 });
    expect(out.data.length).toBe(1024 * 1024 * 4);
    expect(out.data.every((v) => v === 77)).toBe(true);
  });
});
