import type { RgbaImage } from '../../image/rgba-image';

/** An image from rows of pixels, e.g. `image([[r, g, b, a], …], width)`. */
export function image(pixels: readonly (readonly number[])[], width: number): RgbaImage {
  return { width, height: pixels.length / width, data: Uint8Array.from(pixels.flat()) };
}

/** Deterministic pseudo-random RGBA (alpha 255 unless `withAlpha`). */
export function noiseImage(width: number, height: number, withAlpha = false): RgbaImage {
  let s = 2024;
  const data = Uint8Array.from({ length: width * height * 4 }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return i % 4 === 3 && !withAlpha ? 255 : s % 256;
  });
  return { width, height, data };
}

/** Pixel (x, y) as [r, g, b, a]. */
export function pixel(img: RgbaImage, x: number, y: number): number[] {
  const i = (y * img.width + x) * 4;
  return Array.from(img.data.subarray(i, i + 4));
}
