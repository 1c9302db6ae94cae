import type { Mask } from '@loupe/shared';

/**
 * The overlay's colour: a saturated cyan-blue, which few photos' subjects are (a red tint vanished
 * over red flowers and skin); alpha follows the mask.
 */
export const MASK_TINT = { r: 0, g: 170, b: 255, opacity: 0.6 } as const;

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
