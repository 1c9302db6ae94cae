import { describe, expect, it } from 'vitest';
import { UNIT_RANGE } from '../models/model-specs';
import { composeFeathered, featherWeights, storeTile } from './feather';
import { toByte } from './tensor';
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

describe('composeFeathered', () => {
  it('equals the float weighted sum of the tiles, corrections applied, within rounding', () => {
    const [width, height, overlap] = [500, 300, 32];
    const grid = tileGrid({ width, height }, { tile: 256, overlap });
    const weights = featherWeights(grid, overlap, 1);
    const { tileWidth: w, tileHeight: h } = grid;
    const plane = w * h;
    // Tile i answers a smooth picture shifted by its own offset, in 0..1 (MAXIM's range).
    const outputs = grid.tiles.map(({ input }, i) => {
      const data = new Float32Array(3 * plane);
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++)
            data[c * plane + y * w + x] =
              0.45 +
              0.4 * Math.sin((input.x + x) / 53 + c) * Math.cos((input.y + y) / 41) +
              0.03 * i;
      return { data, dims: [1, 3, h, w] };
    });
    const fix = grid.tiles.map((_, i) =>
      [0, 1, 2].map((c) => [0.9 + 0.02 * ((i + c) % 5), 0.01 * (i - c)] as const),
    );
    const image = { width, height, data: new Uint8Array(width * height * 4).fill(7) };
    composeFeathered(
      grid,
      outputs.map((o) => storeTile(o, UNIT_RANGE)),
      weights,
      image,
      1,
      fix,
    );
    const sum = new Float64Array(width * height * 3);
    grid.tiles.forEach((t, i) => {
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const k = weights[i]!.x[x]! * weights[i]!.y[y]!;
          if (k === 0) continue;
          for (let c = 0; c < 3; c++) {
            const byte = Math.min(255, Math.max(0, outputs[i]!.data[c * plane + y * w + x]! * 255));
            const [g, o] = fix[i]![c]!;
            sum[((t.input.y + y) * width + t.input.x + x) * 3 + c]! +=
              k * (g * (byte / 255) + o) * 255;
          }
        }
    });
    let worst = 0;
    let alphaTouched = 0;
    for (let p = 0; p < width * height; p++) {
      for (let c = 0; c < 3; c++)
        worst = Math.max(worst, Math.abs(image.data[p * 4 + c]! - toByte(sum[p * 3 + c]!)));
      if (image.data[p * 4 + 3] !== 7) alphaTouched++;
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(alphaTouched).toBe(0);
  });
});
