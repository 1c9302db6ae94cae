import { describe, expect, it } from 'vitest';
import { tileCount, tileGrid, tileRect, tileSizeAt } from './tile-grid';

describe('tileGrid', () => {
  it('cuts a 12000² result into 12 × 12 tiles and halves it down to 1500²', () => {
    const grid = tileGrid({ width: 12000, height: 12000 });
    expect([grid.columns, grid.rows, grid.levels]).toEqual([12, 12, 4]);
    expect(tileCount(grid)).toBe(144);
  });

  it('keeps pictures up to 2048 on the long side at one level', () => {
    expect(tileGrid({ width: 2048, height: 100 }).levels).toBe(1);
    expect(tileGrid({ width: 100, height: 2049 }).levels).toBe(2);
    expect(tileGrid({ width: 24, height: 16 })).toMatchObject({ columns: 1, rows: 1, levels: 1 });
  });

  it('gives edge tiles what is left of the picture, row-major', () => {
    const grid = tileGrid({ width: 2100, height: 1500 });
    expect([grid.columns, grid.rows]).toEqual([3, 2]);
    expect(tileRect(grid, 0)).toEqual({ x: 0, y: 0, width: 1024, height: 1024 });
    expect(tileRect(grid, 2)).toEqual({ x: 2048, y: 0, width: 52, height: 1024 });
    expect(tileRect(grid, 4)).toEqual({ x: 1024, y: 1024, width: 1024, height: 476 });
  });

  it('halves tiles rounding up, so an odd edge keeps its last column', () => {
    const grid = tileGrid({ width: 6001, height: 3000 });
    const edge = 5; // x 5120, 881 wide
    expect(tileSizeAt(grid, edge, 0)).toEqual({ width: 881, height: 1024 });
    expect(tileSizeAt(grid, edge, 1)).toEqual({ width: 441, height: 512 });
    expect(tileSizeAt(grid, edge, 2)).toEqual({ width: 221, height: 256 });
    expect(tileSizeAt(grid, 0, 2)).toEqual({ width: 256, height: 256 });
  });
});
