import { createRgbaImage, type RgbaImage, type Size } from '../image/rgba-image';
import { imageToTensor, tensorToImage, type TensorLayout } from '../kernels/tensor';
import { tileOutput } from '../kernels/tiles';
import type { FilterModelId } from '../models/model-ids';
import { MODELS } from '../models/model-specs';
import { modelOutput, type StepContext } from './context';
import type { TensorData } from './model-runner';
import { filterTileGrid, type TileSizeOverride } from './tiling';

/** A filter graph call: its parameter tensors and how far each output pixel looks. */
export interface FilterRun {
  readonly model: FilterModelId;
  readonly params: Readonly<Record<string, TensorData>>;
  /** Pixels of context each output pixel reads on every side (a kernel's half-width; 0 for per-pixel maps). */
  readonly halo: number;
  /** Feed premultiplied RGBA and divide the result back (blur). */
  readonly premultiplied?: boolean;
}

/** How many model calls `runFilterModel` makes on an image of `size`. */
export function filterModelTiles(run: FilterRun, size: Size, tileSize?: TileSizeOverride): number {
  return filterTileGrid(MODELS[run.model], size, run.halo, tileSize).tiles.length;
}

/**
 * Runs a filter graph on RGBA: in one piece for ordinary images, in tiles overlapping by the
 * filter's halo for very large ones. The graphs replicate edges at every tile border, but a
 * valid region stays `halo` pixels away from each border inside the image, so the tiled
 * result equals the whole-image one.
 *
 * @example await runFilterModel(image, { model: 'filter-blur', params: { kernel }, halo: 12, premultiplied: true }, ctx)
 */
export async function runFilterModel(
  image: RgbaImage,
  run: FilterRun,
  ctx: StepContext,
): Promise<RgbaImage> {
  const spec = MODELS[run.model];
  const names = Object.keys(run.params).sort().join(', ');
  if (names !== [...(spec.paramInputs ?? [])].sort().join(', ')) {
    throw new RangeError(`${run.model} takes [${spec.paramInputs?.join(', ')}], got [${names}]`);
  }
  const grid = filterTileGrid(spec, image, run.halo, ctx.tileSize);
  const out = createRgbaImage(image.width, image.height);
  const inLayout: TensorLayout = { ...spec.input, premultiplied: run.premultiplied ?? false };
  const outLayout: TensorLayout = { ...spec.output, premultiplied: run.premultiplied ?? false };
  const outDims = [1, spec.output.channels, grid.tileHeight, grid.tileWidth];
  let buffer: Float32Array | undefined;
  for (const tile of grid.tiles) {
    const input = imageToTensor(image, tile.input, inLayout, buffer);
    buffer = input.data;
    const result = await ctx.runTile(run.model, { [spec.input.name]: input, ...run.params });
    const { from, to } = tileOutput(tile, 1);
    tensorToImage(modelOutput(spec, result, outDims), from, out, to.x, to.y, outLayout);
  }
  return out;
}
