import { describe, expect, it } from 'vitest';
import { featherWeights } from './feather';
import { tileGrid } from './tiles';

/** Σ over tiles of wx·wy at every output pixel, and the largest weight outside a tile's input. */
function coverage(width: number, height: number, tile: number, overlap: number, scale: number) {
  const grid = tileGrid({ width, height }, { tile, overlap });
  const weights = featherWeights(grid, overlap, scale);
  const sum = new Float64Array(width * scale * height * scale);
  grid.tiles.forEach((t, i) => {
    const { x: wx, y: wy } = weights[i]!;
    expect([wx.length, wy.length]).toEqual([grid.tileWidth * scale, grid.tileHeight * scale]);
    for (let y = 0; y < wy.length; y++)
      for (let x = 0; x < wx.length; x++)
        sum[(t.input.y * scale + y) * width * scale + t.input.x * scale + x]! += wx[x]! * wy[y]!;
  });
  return { grid, weights, sum };
}

describe('featherWeights', () => {
  it.each([
    [400, 256, 256, 32, 1],
    [550, 309, 256, 32, 1],
    // Three tiles on 500 px overlap pairwise and tiles 0 and 2 share 12 px: ramps stay apart.
    [500, 256, 256, 32, 1],
    [1000, 37, 128, 12, 2],
    [300, 300, 64, 0, 1],
  ])(
    'weights of a %i×%i grid (tile %i, overlap %i, ×%i) sum to 1 at every pixel',
    (w, h, t, o, s) => {
      const { sum } = coverage(w, h, t, o, s);
      const worst = sum.reduce((m, v) => Math.max(m, Math.abs(v - 1)), 0);
      expect(worst).toBeLessThan(1e-12);
    },
  );

  it('ramps linearly over 2·overlap around the cut and is 1 or 0 elsewhere', () => {
    const { grid, weights } = coverage(400, 256, 256, 32, 1);
    expect(grid.tiles.map((t) => t.input.x)).toEqual([0, 144]);
    expect(grid.tiles[1]!.valid.x).toBe(200);
    const left = weights[0]!.x;
    expect(left[167]).toBe(1);
    expect(left[168]).toBeCloseTo(1 - 0.5 / 64, 12);
    expect(left[199]).toBeCloseTo(0.5 + 0.5 / 64, 12);
    expect(left[231]).toBeCloseTo(0.5 / 64, 12);
    expect(left[232]).toBe(0);
    expect(left[255]).toBe(0);
    // The right tile's first pixels (its own edge) carry nothing.
    expect(weights[1]!.x[0]).toBe(0);
    expect(Array.from(weights[0]!.y).every((v) => v === 1)).toBe(true);
  });

  it('is the cut itself with no overlap: each pixel from the tile whose valid region holds it', () => {
    const { grid, weights } = coverage(300, 64, 64, 0, 1);
    grid.tiles.forEach((t, i) => {
      for (let x = 0; x < grid.tileWidth; x++) {
        const inside = t.input.x + x >= t.valid.x && t.input.x + x < t.valid.x + t.valid.width;
        expect(weights[i]!.x[x]).toBe(inside ? 1 : 0);
      }
    });
  });
});
