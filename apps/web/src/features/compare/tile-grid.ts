import type { Size } from '@loupe/shared';

/**
 * Side of a full-resolution tile. 1024² (4 MiB) keeps a 1:1 view of a large pane to a handful of
 * tiles in memory, and a 144 MP picture to 144 tiles per level.
 */
export const TILE_SIDE = 1024;

/** Halving stops once the long side fits this: a fitted picture is drawn from at most ~4 MP. */
export const COARSEST_SIDE = 2048;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A picture cut into `TILE_SIDE` tiles (row-major), each kept at `levels` resolutions: level 0 is
 * the picture itself, level k the same tile halved k times. Tiles are halved on their own, so
 * every level shares the one grid and a tile missing at one level can be drawn from another.
 */
export interface TileGrid {
  readonly image: Size;
  readonly columns: number;
  readonly rows: number;
  readonly levels: number;
}

/** @example tileGrid({ width: 12000, height: 12000 }) // 12 × 12 tiles, levels 12000² … 1500² */
export function tileGrid(image: Size): TileGrid {
  let levels = 1;
  while (Math.max(image.width, image.height) / 2 ** (levels - 1) > COARSEST_SIDE) levels++;
  return {
    image,
    columns: Math.ceil(image.width / TILE_SIDE),
    rows: Math.ceil(image.height / TILE_SIDE),
    levels,
  };
}

export function tileCount(grid: TileGrid): number {
  return grid.columns * grid.rows;
}

/** The part of the picture tile `index` covers, in image pixels. */
export function tileRect(grid: TileGrid, index: number): Rect {
  const x = (index % grid.columns) * TILE_SIDE;
  const y = Math.floor(index / grid.columns) * TILE_SIDE;
  return {
    x,
    y,
    width: Math.min(TILE_SIDE, grid.image.width - x),
    height: Math.min(TILE_SIDE, grid.image.height - y),
  };
}

/**
 * Tile `index`'s size in pixels at `level`. Rounding up keeps an odd edge row; since
 * ceil(ceil(n / 2) / 2) = ceil(n / 4), halving level by level gives these sizes exactly.
 */
export function tileSizeAt(grid: TileGrid, index: number, level: number): Size {
  const { width, height } = tileRect(grid, index);
  return { width: Math.ceil(width / 2 ** level), height: Math.ceil(height / 2 ** level) };
}
