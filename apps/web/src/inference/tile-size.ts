import {
  OPS,
  stepModels,
  type GpuAdapterInfo,
  type ModelId,
  type ModelSpec,
  type OpCost,
  type Step,
} from '@loupe/shared';

/** Tiles are multiples of 8 so WebGPU workgroups (8×8) cover them without ragged edges. */
const TILE_STEP = 8;

/**
 * Largest square tile whose biggest buffer fits the adapter: no GPU buffer may exceed
 * `maxBufferSize`, nor a storage binding `maxStorageBufferBindingSize`. `bytesPerPixel` is the
 * op's whole working set per input pixel, an upper bound on its largest tensor.
 *
 * @example maxTileEdge({ maxBufferSize: 2 ** 28, maxStorageBufferBindingSize: 2 ** 27 }, 316) // 648
 */
export function maxTileEdge(limits: GpuAdapterInfo['limits'], bytesPerPixel: number): number {
  const bytes = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const edge = Math.sqrt(bytes / Math.max(1, bytesPerPixel));
  return Math.floor(edge / TILE_STEP) * TILE_STEP;
}

/**
 * The engine's `tileSize` for a pipeline on this adapter. A tiled model keeps its own tile
 * (one compiled shape) unless the limits force a smaller one, never below one that leaves
 * valid pixels after the overlap; a filter gets the edge as the most it may run in one piece.
 *
 * @example tileSizeForAdapter(steps, { maxBufferSize: 2 ** 22, maxStorageBufferBindingSize: 2 ** 22 })(MODELS['esrgan-slim-x2']) // 112
 */
export function tileSizeForAdapter(
  steps: readonly Step[],
  limits: GpuAdapterInfo['limits'],
): (spec: ModelSpec) => number | undefined {
  // The hungriest op that uses each model decides its edge.
  const bytesPerPixel = new Map<ModelId, number>();
  for (const step of steps) {
    const cost = (OPS[step.op].cost as (p: unknown) => OpCost)(step.params);
    for (const id of stepModels(step)) {
      bytesPerPixel.set(id, Math.max(bytesPerPixel.get(id) ?? 0, cost.bytesPerInputPixel));
    }
  }
  return (spec) => {
    const bytes = bytesPerPixel.get(spec.id);
    if (bytes === undefined) return undefined;
    const fit = maxTileEdge(limits, bytes);
    if (!spec.tile) return fit;
    if (fit >= spec.tile.size) return undefined;
    return Math.max(2 * spec.tile.overlap + TILE_STEP, fit);
  };
}
