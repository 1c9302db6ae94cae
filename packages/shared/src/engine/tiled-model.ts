import { createRgbaImage, type RgbaImage, type Size } from '../image/rgba-image';
import {
  bleedTransparentRgb,
  extractAlpha,
  isOpaque,
  resizeAlpha,
  setAlpha,
} from '../kernels/alpha';
import { imageToTensor, tensorToImage } from '../kernels/tensor';
import { tileOutput } from '../kernels/tiles';
import type { ModelId } from '../models/model-ids';
import { MODELS } from '../models/model-specs';
import { modelOutput, type StepContext } from './context';
import { modelTileGrid, type TileSizeOverride } from './tiling';

/** How many model calls `runTiledModel` makes on an image of `size`. */
export function tiledModelTiles(model: ModelId, size: Size, tileSize?: TileSizeOverride): number {
  return modelTileGrid(MODELS[model], size, tileSize).tiles.length;
}

/**
 * Runs an RGB super-resolution / restoration model (ESRGAN, Anime4K) tile by tile and
 * stitches the valid part of each tile straight into the uint8 output: no whole-image
 * float tensor exists, only one tile's input and output at a time.
 * The models see RGB only. Alpha is resized bilinearly on its own; fully transparent
 * pixels first take their nearest visible colour so their (often black) RGB cannot bleed
 * into visible edges. Opaque images skip all of that.
 *
 * @example await runTiledModel(image, 'esrgan-slim-x2', ctx) // 2× the size, alpha kept
 */
export async function runTiledModel(
  image: RgbaImage,
  model: ModelId,
  ctx: StepContext,
): Promise<RgbaImage> {
  const spec = MODELS[model];
  const scale = spec.scale;
  const grid = modelTileGrid(spec, image, ctx.tileSize);
  const out = createRgbaImage(image.width * scale, image.height * scale);
  const opaque = isOpaque(image);
  const source = opaque ? image : bleedTransparentRgb(image);
  const outDims = [1, spec.output.channels, grid.tileHeight * scale, grid.tileWidth * scale];
  let buffer: Float32Array | undefined;
  for (const tile of grid.tiles) {
    const input = imageToTensor(source, tile.input, spec.input, buffer);
    buffer = input.data;
    const result = await ctx.runTile(model, { [spec.input.name]: input });
    const { from, to } = tileOutput(tile, scale);
    tensorToImage(modelOutput(spec, result, outDims), from, out, to.x, to.y, spec.output);
  }
  setAlpha(out, opaque ? 255 : resizeAlpha(extractAlpha(image), image, out));
  return out;
}
