import { LoupeError } from '../../api/loupe-error';
import { checkMaskFits } from '../../image/mask';
import type { RgbaImage } from '../../image/rgba-image';
import { cropMask, expandRect, growMask, maskBounds } from '../../kernels/mask-region';
import type { Rect } from '../../kernels/rect';
import { eraseMargin, type EraseParams } from '../../ops/params/erase';
import type { RgbImage } from '../inpainter';
import type { OpEngine } from './op-engine';

/** The picture's RGB inside `rect`: OpenCV's inpaint fills 1- or 3-channel 8-bit images only. */
function rgbOf(image: RgbaImage, rect: Rect): RgbImage {
  const data = new Uint8Array(rect.width * rect.height * 3);
  for (let y = 0, o = 0; y < rect.height; y++) {
    let i = 4 * ((rect.y + y) * image.width + rect.x);
    for (let x = 0; x < rect.width; x++, i += 4, o += 3) {
      data[o] = image.data[i]!;
      data[o + 1] = image.data[i + 1]!;
      data[o + 2] = image.data[i + 2]!;
    }
  }
  return { width: rect.width, height: rect.height, data };
}

/**
 * Fills the mask from its surroundings with the host's inpainter, then blends the fill in by
 * the mask's value (255 = the fill, between = a mix, 0 = the input's bytes). Only the mask's
 * bounding box plus the margin the fill reads (`eraseMargin`) goes to the inpainter, so a small
 * mask on a 24 MP photo costs what the mask costs. Alpha is kept as it was, byte for byte.
 */
export const eraseEngine: OpEngine<EraseParams> = {
  tiles: () => 0,
  async run(image, p, ctx) {
    const mask = checkMaskFits(ctx.mask, image);
    const bounds = maskBounds(mask);
    if (!bounds)
      throw new LoupeError('INVALID_PARAMS', 'The mask is empty: paint over what to erase', [
        { path: 'mask', message: 'selects no pixel' },
      ]);
    const grown = expandRect(bounds, p.grow, image.width, image.height);
    const region = expandRect(grown, eraseMargin(p), image.width, image.height);
    const weight = growMask(cropMask(mask, region), p.grow);
    const holes = Uint8Array.from(weight.data, (w) => (w === 0 ? 0 : 255));
    const filled = await ctx.inpaint({
      image: rgbOf(image, region),
      mask: { width: region.width, height: region.height, data: holes },
      algorithm: p.algorithm,
      radius: p.radius,
    });
    const out = Uint8Array.from(image.data);
    for (let y = 0; y < region.height; y++) {
      for (let x = 0; x < region.width; x++) {
        const w = weight.data[y * region.width + x]!;
        if (w === 0) continue;
        const i = 4 * ((region.y + y) * image.width + region.x + x);
        const f = 3 * (y * region.width + x);
        for (let c = 0; c < 3; c++)
          out[i + c] = Math.floor(
            (image.data[i + c]! * (255 - w) + filled[f + c]! * w + 127) / 255,
          );
      }
    }
    return { width: image.width, height: image.height, data: out };
  },
};
