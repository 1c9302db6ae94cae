import { createRgbaImage, type RgbaImage } from '@loupe/shared';

/** At most this many samples per axis average into one thumbnail pixel. */
const SAMPLES = 8;

/**
 * `image` shrunk to fit `maxSide` × `maxSide`, sampled straight from its pixels. Painting a
 * 12000² result onto a full-size canvas just to shrink it held about 1 GB more in the tab
 * (bench/browser-memory.ts); this reads at most 8 × 8 samples per thumbnail pixel. Colours are
 * averaged weighted by alpha, as a canvas would, so transparent pixels don't darken edges.
 *
 * @example thumbnailPixels({ width: 1000, height: 500, data }, 96) // 96 × 48
 */
export function thumbnailPixels(image: RgbaImage, maxSide: number): RgbaImage {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const out = createRgbaImage(
    Math.max(1, Math.round(image.width * scale)),
    Math.max(1, Math.round(image.height * scale)),
  );
  const src = image.data;
  const fx = image.width / out.width;
  const fy = image.height / out.height;
  const nx = Math.min(SAMPLES, Math.ceil(fx));
  const ny = Math.min(SAMPLES, Math.ceil(fy));
  let o = 0;
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let j = 0; j < ny; j++) {
        const row = Math.floor((y + (j + 0.5) / ny) * fy) * image.width;
        for (let i = 0; i < nx; i++) {
          const p = (row + Math.floor((x + (i + 0.5) / nx) * fx)) * 4;
          const alpha = src[p + 3]!;
          r += src[p]! * alpha;
          g += src[p + 1]! * alpha;
          b += src[p + 2]! * alpha;
          a += alpha;
        }
      }
      out.data[o] = a ? Math.round(r / a) : 0;
      out.data[o + 1] = a ? Math.round(g / a) : 0;
      out.data[o + 2] = a ? Math.round(b / a) : 0;
      out.data[o + 3] = Math.round(a / (nx * ny));
      o += 4;
    }
  }
  return out;
}
