import type { Size } from '../../image/rgba-image';
import { cropRgba } from '../../kernels/crop';
import { padMirrored } from '../../kernels/pad';
import { MODELS } from '../../models/model-specs';
import { restoreModelFor, type RestoreParams } from '../../ops/params/restore';
import { runTiledModel, tiledModelTiles } from '../tiled-model';
import type { OpEngine } from './op-engine';

/** The size a fixed-tile model runs at: each side at least one tile (padded right and bottom). */
export function fixedTilePaddedSize(tile: number, size: Size): Size {
  return { width: Math.max(tile, size.width), height: Math.max(tile, size.height) };
}

/**
 * MAXIM restoration: the graph takes 256² tiles only, so a picture narrower or shorter than a
 * tile is mirrored out to one (as UpscalerJS pads right and bottom) and cropped back after; the
 * tiles, their overlap and the alpha handling are ESRGAN's.
 */
export const restoreEngine: OpEngine<RestoreParams> = {
  tiles: (p, size) => {
    const model = restoreModelFor(p);
    return tiledModelTiles(model, fixedTilePaddedSize(MODELS[model].tile!.size, size));
  },
  run: async (image, p, ctx) => {
    const model = restoreModelFor(p);
    const padded = fixedTilePaddedSize(MODELS[model].tile!.size, image);
    const input = padMirrored(image, padded.width, padded.height);
    const out = await runTiledModel(input, model, ctx);
    return input === image
      ? out
      : cropRgba(out, { x: 0, y: 0, width: image.width, height: image.height });
  },
};
