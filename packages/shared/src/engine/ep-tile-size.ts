import type { ExecutionProvider } from '../api/execution';
import type { Size } from '../image/rgba-image';
import type { TileSizeOverride } from './tiling';

/** Target tile edge for ESRGAN on CPU; measured by bench/upscale-tuning (see below). */
export const CPU_ESRGAN_TILE = 256;

/**
 * The tile edge that covers `length` pixels with about `target`-sized tiles and no waste:
 * choose the tile count first (rounded, so a tile may grow a little past `target`), then the
 * smallest edge whose valid interiors (edge − 2·overlap, plus the outer borders) span it.
 *
 * @example balancedTile(512, 256, 12) // 268: 2 tiles instead of 3 of 256
 */
export function balancedTile(length: number, target: number, overlap: number): number {
  const interior = length - 2 * overlap;
  if (interior <= target - 2 * overlap) return Math.min(length, target);
  const count = Math.max(1, Math.round(interior / (target - 2 * overlap)));
  return Math.ceil(interior / count) + 2 * overlap;
}

function balancedSquareTile(image: Size, target: number, overlap: number): number {
  return Math.max(
    balancedTile(image.width, target, overlap),
    balancedTile(image.height, target, overlap),
  );
}

/**
 * Tile sizes per execution provider. Every tile recomputes its overlap, so bigger tiles waste
 * less work; the spec's 128² keeps browser memory and shader compiles small. On CPU a new
 * tile shape costs nothing, so tiles are sized to the image: measured by bench/upscale-tuning
 * on a 2-core CPU, 256² ESRGAN tiles give 1.22× (slim) and 1.41× (medium) more useful pixels
 * per second than 128², and a balanced grid cuts a 512² image into 2×2 tiles of 268² instead of
 * 3×3 of 256² (2.25× the pixels). GPU EPs keep the spec's one shape until measured on one.
 * The server's children and bench/ both use this, so the benchmark measures what ships.
 *
 * @example tileSizeForEp('cpu')?.(MODELS['esrgan-slim-x2'], { width: 512, height: 512 }) // 268
 */
export function tileSizeForEp(ep: ExecutionProvider): TileSizeOverride | undefined {
  if (ep !== 'cpu') return undefined;
  return (spec, image) =>
    spec.family === 'esrgan' && spec.tile
      ? balancedSquareTile(image, CPU_ESRGAN_TILE, spec.tile.overlap)
      : undefined;
}
