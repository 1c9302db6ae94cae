import type { Size } from '../image/rgba-image';
import { relativeRect, scaleRect, type Rect } from './rect';

export interface TileOptions {
  /** Tile edge in input pixels; a dimension smaller than this gets tiles as big as the image. */
  readonly tile: number;
  /** Context pixels each tile keeps beyond its valid region on every inner side. */
  readonly overlap: number;
}

export interface Tile {
  /** Input pixels the model reads: always `grid.tileWidth × grid.tileHeight`. */
  readonly input: Rect;
  /** Input pixels this tile answers for; over a grid these partition the image exactly. */
  readonly valid: Rect;
}

export interface TileGrid {
  /** The one tile shape of this image: a model sees no other, so it compiles once. */
  readonly tileWidth: number;
  readonly tileHeight: number;
  readonly columns: number;
  readonly rows: number;
  /** Row-major. */
  readonly tiles: readonly Tile[];
}

/** Start and valid span of each tile along one axis. */
interface AxisTiles {
  readonly length: number;
  readonly starts: number[];
  readonly validStarts: number[];
  readonly validEnds: number[];
}

function axisTiles(length: number, tile: number, overlap: number): AxisTiles {
  const t = Math.min(tile, length);
  if (t === length) return { length: t, starts: [0], validStarts: [0], validEnds: [length] };
  const stride = t - 2 * overlap;
  if (stride < 1) {
    throw new RangeError(
      `tile ${tile} leaves no valid pixels with overlap ${overlap} on each side`,
    );
  }
  const count = 1 + Math.ceil((length - t) / stride);
  // Spread starts evenly over [0, length − t]: neighbours then differ by at most `stride`,
  // so they share ≥ 2·overlap pixels and edge tiles sit flush with the image, never smaller.
  const starts = Array.from({ length: count }, (_, i) =>
    Math.round((i * (length - t)) / (count - 1)),
  );
  const validStarts = [0];
  const validEnds: number[] = [];
  for (let i = 0; i + 1 < count; i++) {
    // A pixel goes to the tile whose border is farther away; ties go to the left/top tile.
    const cut = Math.floor((starts[i]! + t - 1 + starts[i + 1]!) / 2) + 1;
    validEnds.push(cut);
    validStarts.push(cut);
  }
  validEnds.push(length);
  return { length: t, starts, validStarts, validEnds };
}

/**
 * Cuts an image into tiles of one shape for a fully convolutional model. Each tile's
 * `valid` region keeps at least `overlap` pixels of real context to every inner tile
 * border, so when `overlap` covers the model's receptive field, stitching the valid
 * regions gives exactly the whole-image result: no feathering, no seams.
 *
 * @example tileGrid({ width: 300, height: 100 }, { tile: 128, overlap: 12 })
 *   // 3×1 tiles of 128×100 at x = 0, 86, 172; valid x ranges [0,107) [107,193) [193,300)
 */
export function tileGrid(size: Size, options: TileOptions): TileGrid {
  const { width, height } = size;
  const { tile, overlap } = options;
  if (!(width >= 1 && height >= 1) || !Number.isInteger(width) || !Number.isInteger(height)) {
    throw new RangeError(`cannot tile a ${width}×${height} image`);
  }
  if (!Number.isInteger(tile) || tile < 1 || !Number.isInteger(overlap) || overlap < 0) {
    throw new RangeError(`invalid tiling: tile ${tile}, overlap ${overlap}`);
  }
  const xs = axisTiles(width, tile, overlap);
  const ys = axisTiles(height, tile, overlap);
  const tiles: Tile[] = [];
  ys.starts.forEach((y, row) => {
    xs.starts.forEach((x, col) => {
      const vx = xs.validStarts[col]!;
      const vy = ys.validStarts[row]!;
      tiles.push({
        input: { x, y, width: xs.length, height: ys.length },
        valid: { x: vx, y: vy, width: xs.validEnds[col]! - vx, height: ys.validEnds[row]! - vy },
      });
    });
  });
  return {
    tileWidth: xs.length,
    tileHeight: ys.length,
    columns: xs.starts.length,
    rows: ys.starts.length,
    tiles,
  };
}

/**
 * Where a tile's result goes for a model with output scale `scale`: copy `from` (a region
 * of the tile's output tensor) to `to` (a region of the output image).
 *
 * @example tileOutput({ input: { x: 86, y: 0, width: 128, height: 100 },
 *   valid: { x: 107, y: 0, width: 86, height: 100 } }, 2)
 *   // from { x: 42, y: 0, width: 172, height: 200 }, to { x: 214, y: 0, width: 172, height: 200 }
 */
export function tileOutput(tile: Tile, scale: number): { from: Rect; to: Rect } {
  return {
    from: scaleRect(relativeRect(tile.valid, tile.input.x, tile.input.y), scale),
    to: scaleRect(tile.valid, scale),
  };
}
