import type { ExecutionProvider } from '../api/execution';
import type { TileSizeOverride } from './tiling';

/**
 * Tile sizes per execution provider. Every tile recomputes its overlap, so bigger tiles waste
 * less work; the spec's 128² keeps browser memory and shader compiles small. Measured by
 * bench/upscale-cpu on a 2-core CPU: 256² ESRGAN tiles give 1.22× (slim) and 1.41× (medium)
 * more useful pixels per second than 128². GPU EPs keep the spec's size until measured on one. The server's children and
 * bench/ both use this, so the benchmark measures what ships.
 *
 * @example tileSizeForEp('cpu')?.(MODELS['esrgan-slim-x2']) // 256
 */
export function tileSizeForEp(ep: ExecutionProvider): TileSizeOverride | undefined {
  if (ep !== 'cpu') return undefined;
  return (spec) => (spec.family === 'esrgan' ? 256 : undefined);
}
