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
import { TILE_STORE_SCALE, composeFeathered, featherWeights, storeTile } from '../kernels/feather';
import { harmoniseTiles } from '../kernels/harmonise';
import type { ModelId } from '../models/model-ids';
import { MODELS } from '../models/model-specs';
import { modelOutput, type StepContext } from './context';
import { modelTileGrid, type TileSizeOverride } from './tiling';

/** How many model calls `runTiledModel` makes on an image of `size`. */
export function tiledModelTiles(model: ModelId, size: Size, tileSize?: TileSizeOverride): number {
  return modelTileGrid(MODELS[model], size, tileSize).tiles.length;
}

/**
 * Runs an RGB super-resolution / restoration model (ESRGAN, Anime4K, MAXIM) tile by tile and
 * stitches the valid part of each tile straight into the uint8 output: no whole-image
 * float tensor exists, only one tile's input and output at a time. A model whose tiles are
 * feathered or harmonised (MAXIM: `TileSpec.blend`) keeps every tile's output (16-bit, 6 bytes
 * a pixel) until the last, then composes the picture from them, rounding once.
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
  const blend = spec.tile?.blend ?? 'cut';
  let buffer: Float32Array | undefined;
  const kept: Uint16Array[] = [];
  for (const tile of grid.tiles) {
    const input = imageToTensor(source, tile.input, spec.input, buffer);
    buffer = input.data;
    const result = await ctx.runTile(model, { [spec.input.name]: input });
    const output = modelOutput(spec, result, outDims);
    if (blend === 'cut') {
      const { from, to } = tileOutput(tile, scale);
      tensorToImage(output, from, out, to.x, to.y, spec.output);
    } else {
      // Kept until every tile has run (the corrections depend on all of them), as 16-bit bytes.
      kept.push(storeTile(output, spec.output.normalization));
    }
  }
  if (blend !== 'cut') {
    const weights = featherWeights(grid, spec.tile!.overlap, scale);
    const fix =
      blend === 'harmonise'
        ? harmoniseTiles(
            grid,
            kept.map((data) => ({ data, dims: outDims })),
            3,
            1 / (255 * TILE_STORE_SCALE),
          )
        : undefined;
    composeFeathered(grid, kept, weights, out, scale, fix);
  }
  setAlpha(out, opaque ? 255 : resizeAlpha(extractAlpha(image), image, out));
  return out;
}
