import { describe, expect, it } from 'vitest';
import { tileGrid } from '../kernels/tiles';
import { MODELS } from '../models/model-specs';
import { balancedTile, tileSizeForEp } from './ep-tile-size';
import { modelTileGrid } from './tiling';

const pixelsComputed = (side: number, tile: number, overlap: number) =>
  tileGrid({ width: side, height: side }, { tile, overlap }).tiles.length * tile * tile;

describe('balancedTile', () => {
  it('takes 2 tiles of 268 for 512 px instead of 3 of 256 (overlap 12)', () => {
    expect(balancedTile(512, 256, 12)).toBe(268);
    expect(tileGrid({ width: 512, height: 512 }, { tile: 268, overlap: 12 }).tiles).toHaveLength(4);
    expect(tileGrid({ width: 512, height: 512 }, { tile: 256, overlap: 12 }).tiles).toHaveLength(9);
  });

  it('keeps one tile when the image fits and never exceeds the image', () => {
    expect(balancedTile(256, 256, 12)).toBe(256);
    expect(balancedTile(100, 256, 12)).toBe(100);
  });

  it('never computes more pixels than fixed 256 tiles, over many sizes', () => {
    for (let side = 200; side <= 2100; side += 37) {
      const balanced = pixelsComputed(side, balancedTile(side, 256, 12), 12);
      expect(balanced, `side ${side}`).toBeLessThanOrEqual(pixelsComputed(side, 256, 12));
    }
  });
});

describe('tileSizeForEp', () => {
  it('sizes ESRGAN tiles to the image on CPU and leaves GPU EPs and other models alone', () => {
    const slim = MODELS['esrgan-slim-x2'];
    const cpu = tileSizeForEp('cpu')!;
    expect(cpu(slim, { width: 512, height: 512 })).toBe(268);
    expect(cpu(slim, { width: 512, height: 300 })).toBe(300);
    expect(cpu(MODELS['anime4k-2x-s-an'], { width: 512, height: 512 })).toBeUndefined();
    expect(tileSizeForEp('webgpu')).toBeUndefined();
    expect(tileSizeForEp('cuda')).toBeUndefined();
    const grid = modelTileGrid(slim, { width: 512, height: 512 }, cpu);
    expect([grid.columns, grid.rows, grid.tileWidth]).toEqual([2, 2, 268]);
  });
});
