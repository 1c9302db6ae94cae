import { createRgbaImage, type RgbaImage } from '../image/rgba-image';

/** Index `i` of a symmetric mirror of `n` samples (edge sample repeated), for any `i ≥ 0`. */
function mirrored(i: number, n: number): number {
  const j = i % (2 * n);
  return j < n ? j : 2 * n - 1 - j;
}

/**
 * `image` grown to at least `width`×`height` on the right and bottom, the new pixels mirroring
 * the picture (… c b a | a b c …, repeating for pads wider than the picture). Mirroring keeps the
 * padding's colours and texture those of the picture: a network that looks at the whole input
 * (MAXIM's grid blocks, a dehazer's airlight) sees no black border to correct.
 *
 * @example padMirrored({ width: 3, height: 1, data }, 5, 1) // pixels a b c c b
 */
export function padMirrored(image: RgbaImage, width: number, height: number): RgbaImage {
  const w = Math.max(width, image.width);
  const h = Math.max(height, image.height);
  if (w === image.width && h === image.height) return image;
  const out = createRgbaImage(w, h);
  const src = image.data;
  const dst = out.data;
  for (let y = 0; y < h; y++) {
    const row = mirrored(y, image.height) * image.width;
    // The picture's own part of the row in one copy, the mirrored rest pixel by pixel.
    dst.set(src.subarray(4 * row, 4 * (row + image.width)), 4 * y * w);
    for (let x = image.width; x < w; x++) {
      const s = 4 * (row + mirrored(x, image.width));
      const d = 4 * (y * w + x);
      dst[d] = src[s]!;
      dst[d + 1] = src[s + 1]!;
      dst[d + 2] = src[s + 2]!;
      dst[d + 3] = src[s + 3]!;
    }
  }
  return out;
}
