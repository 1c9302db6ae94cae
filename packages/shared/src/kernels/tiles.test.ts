import { describe, expect, it } from 'vitest';
import type { Size } from '../image/rgba-image';
import { tileGrid, tileOutput, type TileGrid } from './tiles';

const SIZES: Size[] = [
  { width: 1, height: 1 },
  { width: 7, height: 300 },
  { width: 128, height: 128 },
  { width: 129, height: 129 },
  { width: 1000, height: 37 },
  { width: 257, height: 1 },
  { width: 500, height: 333 },
];
const OPTIONS = [
  { tile: 128, overlap: 12 },
  { tile: 128, overlap: 32 },
  { tile: 64, overlap: 0 },
  { tile: 40, overlap: 12 },
];

/** Every invariant a tiled model relies on, checked pixel by pixel. */
function checkGrid(size: Size, grid: TileGrid, tile: number, overlap: number) {
  expect(grid.tileWidth).toBe(Math.min(tile, size.width));
  expect(grid.tileHeight).toBe(Math.min(tile, size.height));
  expect(grid.tiles).toHaveLength(grid.rows * grid.columns);
  const owner = new Int32Array(size.width * size.height);
  grid.tiles.forEach(({ input, valid }) => {
    expect([input.width, input.height]).toEqual([grid.tileWidth, grid.tileHeight]);
    expect(input.x >= 0 && input.y >= 0).toBe(true);
    expect(input.x + input.width <= size.width && input.y + input.height <= size.height).toBe(true);
    // Valid pixels keep `overlap` real pixels to every tile border that is not the image border.
    const left = input.x === 0 ? 0 : overlap;
    const top = input.y === 0 ? 0 : overlap;
    const right = input.x + input.width === size.width ? 0 : overlap;
    const bottom = input.y + input.height === size.height ? 0 : overlap;
    expect(valid.x).toBeGreaterThanOrEqual(input.x + left);
    expect(valid.y).toBeGreaterThanOrEqual(input.y + top);
    expect(valid.x + valid.width).toBeLessThanOrEqual(input.x + input.width - right);
    expect(valid.y + valid.height).toBeLessThanOrEqual(input.y + input.height - bottom);
    for (let y = valid.y; y < valid.y + valid.height; y++) {
      for (let x = valid.x; x < valid.x + valid.width; x++) owner[y * size.width + x]!++;
    }
  });
  expect(owner.every((n) => n === 1)).toBe(true);
  // Neighbouring columns and rows share at least 2·overlap pixels.
  for (let i = 1; i < grid.columns; i++) {
    const a = grid.tiles[i - 1]!.input;
    const b = grid.tiles[i]!.input;
    expect(a.x + a.width - b.x).toBeGreaterThanOrEqual(2 * overlap);
  }
  for (let r = 1; r < grid.rows; r++) {
    const a = grid.tiles[(r - 1) * grid.columns]!.input;
    const b = grid.tiles[r * grid.columns]!.input;
    expect(a.y + a.height - b.y).toBeGreaterThanOrEqual(2 * overlap);
  }
}

/** 5×5 box mean with clamped borders, then 2× nearest upsample: a 2-pixel receptive field. */
function boxThenUpsample(src: Float64Array, width: number, height: number): Float64Array {
  const out = new Float64Array(4 * width * height);
  const at = (x: number, y: number) =>
    src[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) sum += at(x + dx, y + dy);
      const v = sum / 25;
      for (let k = 0; k < 4; k++) out[(2 * y + (k >> 1)) * 2 * width + 2 * x + (k & 1)] = v;
    }
  }
  return out;
}

function tiledBoxThenUpsample(src: Float64Array, size: Size, tile: number, overlap: number) {
  const out = new Float64Array(4 * size.width * size.height);
  for (const t of tileGrid(size, { tile, overlap }).tiles) {
    const crop = new Float64Array(t.input.width * t.input.height);
    for (let y = 0; y < t.input.height; y++) {
      for (let x = 0; x < t.input.width; x++) {
        crop[y * t.input.width + x] = src[(t.input.y + y) * size.width + t.input.x + x]!;
      }
    }
    const result = boxThenUpsample(crop, t.input.width, t.input.height);
    const { from, to } = tileOutput(t, 2);
    for (let y = 0; y < to.height; y++) {
      for (let x = 0; x < to.width; x++) {
        out[(to.y + y) * 2 * size.width + to.x + x] =
          result[(from.y + y) * 2 * t.input.width + from.x + x]!;
      }
    }
  }
  return out;
}

function noise(n: number): Float64Array {
  let s = 12345;
  return Float64Array.from({ length: n }, () => (s = (s * 1103515245 + 12345) % 2147483648) % 256);
}

describe('tileGrid', () => {
  it('partitions every size exactly, with one tile shape and enough context', () => {
    for (const size of SIZES) {
      for (const { tile, overlap } of OPTIONS)
        checkGrid(size, tileGrid(size, { tile, overlap }), tile, overlap);
    }
  });

  it('lays out the documented example', () => {
    const grid = tileGrid({ width: 300, height: 100 }, { tile: 128, overlap: 12 });
    expect(grid.tiles.map((t) => [t.input.x, t.valid.x, t.valid.width])).toEqual([
      [0, 0, 107],
      [86, 107, 86],
      [172, 193, 107],
    ]);
    expect([grid.tileWidth, grid.tileHeight, grid.columns, grid.rows]).toEqual([128, 100, 3, 1]);
    expect(tileOutput(grid.tiles[1]!, 2)).toEqual({
      from: { x: 42, y: 0, width: 172, height: 200 },
      to: { x: 214, y: 0, width: 172, height: 200 },
    });
  });

  it('uses one tile shrunk to the image when the image is smaller than a tile', () => {
    const grid = tileGrid({ width: 7, height: 300 }, { tile: 128, overlap: 12 });
    expect([grid.tileWidth, grid.tileHeight, grid.columns, grid.rows]).toEqual([7, 128, 1, 3]);
    expect(tileGrid({ width: 1, height: 1 }, { tile: 128, overlap: 12 }).tiles).toEqual([
      { input: { x: 0, y: 0, width: 1, height: 1 }, valid: { x: 0, y: 0, width: 1, height: 1 } },
    ]);
  });

  it('rejects tiles with no room left inside the overlap, and empty images', () => {
    expect(() => tileGrid({ width: 100, height: 10 }, { tile: 24, overlap: 12 })).toThrow(
      RangeError,
    );
    expect(() => tileGrid({ width: 0, height: 10 }, { tile: 24, overlap: 2 })).toThrow(RangeError);
    // A single tile needs no inner borders, so a large overlap is fine there.
    expect(tileGrid({ width: 20, height: 10 }, { tile: 24, overlap: 12 }).tiles).toHaveLength(1);
  });

  it('stitches tiles to exactly the whole-image result when overlap covers the receptive field', () => {
    const size = { width: 37, height: 29 };
    const src = noise(size.width * size.height);
    const whole = boxThenUpsample(src, size.width, size.height);
    expect(tileGrid(size, { tile: 12, overlap: 2 }).tiles.length).toBeGreaterThan(9);
    expect(tiledBoxThenUpsample(src, size, 12, 2)).toEqual(whole);
    expect(tiledBoxThenUpsample(src, size, 12, 4)).toEqual(whole);
    expect(tiledBoxThenUpsample(src, size, 12, 1)).not.toEqual(whole);
  });
});
