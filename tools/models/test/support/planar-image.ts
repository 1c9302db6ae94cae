import { join } from 'node:path';
import sharp from 'sharp';
import { packageDir } from '../../src/manifest/package-info';
import type { PlanarImage } from '../../src/filters/reference';

/** A real 128x128 RGBA photo crop shipped with @upscalerjs/esrgan-slim. */
export function fixturePath(): string {
  return join(packageDir('@upscalerjs/esrgan-slim'), 'assets', 'fixture.png');
}

/** Decodes to straight RGBA and splits into NCHW planes in byte units. */
export async function readPlanar(path: string): Promise<PlanarImage> {
  const { data, info } = await sharp(path)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return fromInterleaved(info.width, info.height, data);
}

export function fromInterleaved(
  width: number,
  height: number,
  rgba: ArrayLike<number>,
): PlanarImage {
  const n = width * height;
  const out = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 4; c++) out[c * n + i] = rgba[4 * i + c]!;
  return { width, height, data: out };
}

/** Colour scaled by alpha: what the engine hands the blur graph. */
export function premultiplied(image: PlanarImage): PlanarImage {
  const n = image.width * image.height;
  const data = Float64Array.from(image.data);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) data[c * n + i] = (data[c * n + i]! * data[3 * n + i]!) / 255;
  return { ...image, data };
}

/** The byte the engine will store: round, then clamp. */
export const toByte = (v: number) => Math.min(255, Math.max(0, Math.round(v)));

export function maxByteDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(toByte(a[i]!) - toByte(b[i]!)));
  return max;
}
