import path from 'node:path';
import sharp from 'sharp';
import { BENCH_DIR } from './machine';

/**
 * A real photo that ships in node_modules (a hibiscus flower, 1024², from @upscalerjs/esrgan-thick's
 * samples): nothing is downloaded. Smaller and larger sizes are resized from it with sharp.
 */
export const PHOTO = path.join(
  BENCH_DIR,
  'node_modules/@upscalerjs/esrgan-thick/assets/samples/8x/result.png',
);

export interface RawImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

/** The photo resized (cover) to width×height, as raw RGB. */
export async function photoRgb(width: number, height: number): Promise<RawImage> {
  const { data, info } = await sharp(PHOTO)
    .removeAlpha()
    .resize(width, height, { fit: 'cover' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
    channels: 3,
  };
}

/** The photo at width×height encoded as JPEG (quality 90), as a user would upload it. */
export async function photoJpeg(width: number, height: number): Promise<Buffer> {
  return sharp(PHOTO)
    .removeAlpha()
    .resize(width, height, { fit: 'cover' })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Peak signal-to-noise ratio of two uint8 images of the same size, in dB (Infinity when equal). */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`psnr: sizes differ (${a.length} vs ${b.length})`);
  let se = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    se += d * d;
  }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / a.length));
}

/** The largest |a[i] − b[i]| (NaN when either holds a NaN). */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new Error(`maxAbsDifference: sizes differ (${a.length} vs ${b.length})`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Intersection over union of two alpha masks thresholded at 128. */
export function maskIoU(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`maskIoU: sizes differ (${a.length} vs ${b.length})`);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! >= 128;
    const y = b[i]! >= 128;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

/** The alpha channel of an encoded image, full size. */
export async function alphaOf(
  encoded: Uint8Array,
): Promise<{ alpha: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(encoded)
    .ensureAlpha()
    .extractChannel(3)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    alpha: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}
