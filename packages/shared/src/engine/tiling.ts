import type { Size } from '../image/rgba-image';
import { tileGrid, type TileGrid } from '../kernels/tiles';
import type { ModelSpec } from '../models/model-specs';

/**
 * A runtime's say in tile size, e.g. the web worker's answer from WebGPU buffer limits, or
 * the CPU policy that sizes tiles to the image. `undefined` keeps the model's own tile size.
 */
export type TileSizeOverride = (model: ModelSpec, image: Size) => number | undefined;

/** Filters run in one piece up to this many pixels (64 MB of float32 RGBA each way). */
export const FILTER_WHOLE_IMAGE_MAX_PIXELS = 2048 * 2048;
/** Tile edge for filters on larger images. */
export const FILTER_TILE = 1024;

/**
 * The grid a tiled model (ESRGAN, Anime4K) runs on: its spec's tile and overlap, the tile
 * size possibly lowered by the runtime.
 *
 * @example modelTileGrid(MODELS['esrgan-slim-x2'], { width: 300, height: 100 }).tiles.length // 3
 */
export function modelTileGrid(spec: ModelSpec, size: Size, override?: TileSizeOverride): TileGrid {
  if (!spec.tile) throw new RangeError(`${spec.id} is not a tiled model`);
  if (spec.tile.fixed && (size.width < spec.tile.size || size.height < spec.tile.size)) {
    // A smaller tile would be a shape the graph does not take; see `padToTile`.
    throw new RangeError(
      `${spec.id} takes ${spec.tile.size}² tiles only: pad the ${size.width}×${size.height} image first`,
    );
  }
  return tileGrid(size, {
    // A runtime's say cannot change a graph built for one shape.
    tile: (spec.tile.fixed ? undefined : override?.(spec, size)) ?? spec.tile.size,
    overlap: spec.tile.overlap,
  });
}

/**
 * The grid a filter graph runs on: the whole image when it is small (and fits the runtime's
 * tile), otherwise tiles whose overlap is the filter's reach (`halo`, e.g. a kernel's half-width).
 *
 * @example filterTileGrid(MODELS['filter-blur'], { width: 5000, height: 5000 }, 12).tiles.length // 25
 */
export function filterTileGrid(
  spec: ModelSpec,
  size: Size,
  halo: number,
  override?: TileSizeOverride,
): TileGrid {
  const limit = override?.(spec, size);
  const whole =
    size.width * size.height <= FILTER_WHOLE_IMAGE_MAX_PIXELS &&
    (limit === undefined || Math.max(size.width, size.height) <= limit);
  // A runtime limit knows nothing of the halo; below 4·halo most of each tile would be
  // overlap (and below 2·halo + 1 none of it valid), so the halo wins there.
  const tile = whole ? Math.max(size.width, size.height) : Math.max(limit ?? FILTER_TILE, 4 * halo);
  return tileGrid(size, { tile, overlap: halo });
}
