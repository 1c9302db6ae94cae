import { describe, expect, it } from 'vitest';
import { applyOrientation, orientedSize, type ExifOrientation } from './orientation';

// Stored 3×2, pixel ids 1..6 in reading order; each pixel is (id, id+10, id+20, id+30).
//   1 2 3
//   4 5 6
const stored = {
  width: 3,
  height: 2,
  data: Uint8Array.from({ length: 24 }, (_, i) => 1 + (i >> 2) + 10 * (i & 3)),
};
const ids = (img: { width: number; data: Uint8Array }) => {
  const rows: number[][] = [];
  for (let i = 0; i < img.data.length; i += 4) {
    const id = img.data[i]!;
    expect(Array.from(img.data.subarray(i, i + 4))).toEqual([id, id + 10, id + 20, id + 30]);
    const p = i / 4;
    (rows[Math.floor(p / img.width)] ??= []).push(id);
  }
  return rows;
};

describe('applyOrientation', () => {
  const expected: Record<ExifOrientation, number[][]> = {
    1: [
      [1, 2, 3],
      [4, 5, 6],
    ],
    2: [
      [3, 2, 1],
      [6, 5, 4],
    ],
    3: [
      [6, 5, 4],
      [3, 2, 1],
    ],
    4: [
      [4, 5, 6],
      [1, 2, 3],
    ],
    5: [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
    6: [
      [4, 1],
      [5, 2],
      [6, 3],
    ],
    7: [
      [6, 3],
      [5, 2],
      [4, 1],
    ],
    8: [
      [3, 6],
      [2, 5],
      [1, 4],
    ],
  };
  for (const o of [1, 2, 3, 4, 5, 6, 7, 8] as const) {
    it(`orientation ${o} shows the stored pixels as a viewer would`, () => {
      const out = applyOrientation(stored, o);
      expect(ids(out)).toEqual(expected[o]);
      expect({ width: out.width, height: out.height }).toEqual(orientedSize(stored, o));
    });
  }

  it('returns the input itself when upright and never mutates it', () => {
    expect(applyOrientation(stored, 1)).toBe(stored);
    const before = Uint8Array.from(stored.data);
    applyOrientation(stored, 7);
    expect(stored.data).toEqual(before);
  });

  it('reads unaligned views', () => {
    const buffer = new Uint8Array(25);
    buffer.set(stored.data, 1);
    const view = { width: 3, height: 2, data: buffer.subarray(1) };
    expect(ids(applyOrientation(view, 6))).toEqual(expected[6]);
  });
});

describe('orientedSize', () => {
  it('swaps width and height for 5..8 only', () => {
    expect(orientedSize({ width: 4000, height: 3000 }, 6)).toEqual({ width: 3000, height: 4000 });
    expect(orientedSize({ width: 4000, height: 3000 }, 3)).toEqual({ width: 4000, height: 3000 });
  });
});
