import { LoupeError } from '../api/loupe-error';
import type { RgbaImage, Size } from './rgba-image';

/**
 * Where an edit may change the picture (inpaint, erase): one byte per pixel, the size of the
 * picture it applies to, 255 = repaint, 0 = keep, between = blend. Every runtime hands the engine
 * this form; how it travels (a PNG upload, a brush's canvas) is the caller's.
 *
 * @example const mask: Mask = { width: 2, height: 1, data: Uint8Array.of(0, 255) };
 */
export interface Mask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * A mask from a decoded mask picture: its luminance where it is opaque, scaled by its alpha (a
 * brush painting white on transparent, or a black-and-white PNG, both work).
 */
export function maskFromRgba(image: RgbaImage): Mask {
  const data = new Uint8Array(image.width * image.height);
  const src = image.data;
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    // Rec. 601 luma in integers: the same byte in every runtime.
    const luma = (src[p]! * 299 + src[p + 1]! * 587 + src[p + 2]! * 114 + 500) / 1000;
    data[i] = Math.round((Math.floor(luma) * src[p + 3]!) / 255);
  }
  return { width: image.width, height: image.height, data };
}

/** A mask must cover the picture it edits exactly; said in words that name the field. */
export function checkMaskFits(mask: Mask | undefined, picture: Size, field = 'mask'): Mask {
  if (!mask)
    throw new LoupeError('INVALID_REQUEST', `This edit needs a ${field}`, [
      { path: field, message: 'required' },
    ]);
  if (mask.data.length !== mask.width * mask.height)
    throw new LoupeError(
      'IMAGE_CORRUPT',
      `The ${field} has ${mask.data.length} bytes for ${mask.width}×${mask.height}`,
    );
  if (mask.width !== picture.width || mask.height !== picture.height)
    throw new LoupeError(
      'INVALID_PARAMS',
      `The ${field} is ${mask.width}×${mask.height} but the image is ${picture.width}×${picture.height}`,
      [{ path: field, message: `must be ${picture.width}×${picture.height}` }],
    );
  return mask;
}

/** True when no pixel is selected: an inpaint or erase with it would change nothing. */
export function maskIsEmpty(mask: Mask): boolean {
  return mask.data.every((v) => v === 0);
}
