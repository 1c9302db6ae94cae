import sharp from 'sharp';

/** An RGB image as NCHW planes (R, then G, then B), values in bytes 0..255. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/**
 * Decodes a PNG to RGB planes. Alpha is dropped only if it is fully opaque (the upscaler
 * fixtures and samples are), so a test can never silently compare against composited pixels.
 */
export async function readOpaqueRgb(path: string): Promise<RgbImage> {
  const { data, info } = await sharp(path)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const planes = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    if (data[4 * i + 3] !== 255) throw new Error(`${path}: pixel ${i} is not opaque`);
    for (let c = 0; c < 3; c++) planes[c * n + i] = data[4 * i + c]!;
  }
  return { width: info.width, height: info.height, data: planes };
}

/** A w x h window of an image starting at (x, y). */
export function crop(image: RgbImage, x: number, y: number, w: number, h: number): RgbImage {
  const out = new Float32Array(3 * w * h);
  for (let c = 0; c < 3; c++)
    for (let row = 0; row < h; row++) {
      const from = c * image.width * image.height + (y + row) * image.width + x;
      out.set(image.data.subarray(from, from + w), c * w * h + row * w);
    }
  return { width: w, height: h, data: out };
}

/** Model values back to bytes the way the engine stores them: round, then clamp. */
export function toBytes(values: ArrayLike<number>, std: number, mean = 0): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++)
    out[i] = Math.min(255, Math.max(0, Math.round(values[i]! * std + mean)));
  return out;
}
