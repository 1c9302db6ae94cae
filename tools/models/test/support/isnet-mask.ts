import sharp from 'sharp';
import type { RgbaImage } from '@loupe/shared';

export async function decodeRgba(encoded: Uint8Array): Promise<RgbaImage> {
  const { data, info } = await sharp(encoded)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Intersection over union of the two masks thresholded at alpha >= 128. */
export function maskIou(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`mask sizes differ: ${a.length} vs ${b.length}`);
  let intersection = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! >= 128;
    const y = b[i]! >= 128;
    if (x && y) intersection++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : intersection / union;
}
