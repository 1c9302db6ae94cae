import type { Mask } from '@loupe/shared';

/** The overlay's colour: a red that reads over skin, sky and foliage alike; alpha follows the mask. */
export const MASK_TINT = { r: 255, g: 48, b: 96, opacity: 0.55 } as const;

/**
 * The mask as RGBA pixels to draw over the picture: the tint, as opaque as the mask is strong.
 * `invert` shows `255 − v` (a stroke in progress is drawn from coverage, before the finish).
 */
export function tintPixels(
  mask: Pick<Mask, 'data'>,
  into: Uint8ClampedArray,
  invert = false,
): Uint8ClampedArray {
  const { r, g, b, opacity } = MASK_TINT;
  const { data } = mask;
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    const v = invert ? 255 - data[i]! : data[i]!;
    into[p] = r;
    into[p + 1] = g;
    into[p + 2] = b;
    into[p + 3] = Math.round(v * opacity);
  }
  return into;
}
