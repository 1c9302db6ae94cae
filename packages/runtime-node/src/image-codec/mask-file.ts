import { LoupeError, maskFromRgba, maskIsEmpty, type Mask } from '@loupe/shared';
import { decodeImage, readHeader, type ImageHeader } from './decode';

/** A mask file's failure, named as the mask's (the same codes as the image's). */
function maskError(e: unknown): LoupeError {
  if (!(e instanceof LoupeError))
    return new LoupeError('IMAGE_CORRUPT', 'The mask cannot be decoded', [
      { path: 'mask', message: 'not a readable image' },
    ]);
  return new LoupeError(e.code, `The mask: ${e.message}`, [{ path: 'mask', message: e.message }]);
}

/** The mask picture's header, read with the image's limits; failures name `mask`. */
export function readMaskHeader(bytes: Uint8Array, maxPixels: number): Promise<ImageHeader> {
  return readHeader(bytes, maxPixels).catch((e: unknown) => {
    throw maskError(e);
  });
}

/**
 * A mask picture (white, or opaque on transparency = change; black = keep; grey = blend) as one
 * byte a pixel, decoded with the image's limits. `invert` repaints where it is black instead
 * (the SD web UI's `inpainting_mask_invert`). A mask that selects nothing is refused: erasing or
 * repainting nothing is a mistake (a mask of the wrong polarity, say), not a no-op.
 *
 * @example const mask = await decodeMask(bytes, 100e6, await readMaskHeader(bytes, 100e6))
 */
export async function decodeMask(
  bytes: Uint8Array,
  maxPixels: number,
  header: ImageHeader,
  { invert = false } = {},
): Promise<Mask> {
  const { image } = await decodeImage(bytes, maxPixels, header).catch((e: unknown) => {
    throw maskError(e);
  });
  const mask = maskFromRgba(image);
  if (invert) for (let i = 0; i < mask.data.length; i++) mask.data[i] = 255 - mask.data[i]!;
  if (maskIsEmpty(mask))
    throw new LoupeError('INVALID_PARAMS', 'The mask is empty: paint over what to change', [
      { path: 'mask', message: 'selects no pixel (all black or fully transparent)' },
    ]);
  return mask;
}
