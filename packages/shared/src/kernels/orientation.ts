import { createRgbaImage, type RgbaImage, type Size } from '../image/rgba-image';

/** EXIF Orientation tag values: 1 is upright; 5..8 turn the image a quarter. */
export const EXIF_ORIENTATIONS = [1, 2, 3, 4, 5, 6, 7, 8] as const;
export type ExifOrientation = (typeof EXIF_ORIENTATIONS)[number];

export function isExifOrientation(value: unknown): value is ExifOrientation {
  return (EXIF_ORIENTATIONS as readonly unknown[]).includes(value);
}

/**
 * The size the image is shown at: orientations 5..8 swap width and height.
 *
 * @example orientedSize({ width: 4000, height: 3000 }, 6) // { width: 3000, height: 4000 }
 */
export function orientedSize(size: Size, orientation: ExifOrientation): Size {
  return orientation >= 5
    ? { width: size.height, height: size.width }
    : { width: size.width, height: size.height };
}

/**
 * Turns stored pixels into displayed pixels for runtimes that cannot auto-orient on decode.
 * Returns the input itself for orientation 1, otherwise a new image.
 * Displayed (x, y) reads stored (sx, sy), with W×H the stored size:
 * 2 (W−1−x, y) · 3 (W−1−x, H−1−y) · 4 (x, H−1−y) · 5 (y, x) · 6 (y, H−1−x) ·
 * 7 (W−1−y, H−1−x) · 8 (W−1−y, x).
 *
 * @example applyOrientation({ width: 2, height: 1, data: Uint8Array.of(1,1,1,1, 2,2,2,2) }, 6)
 *   // 1×2: pixel 1 on top (stored row 0 becomes the right column)
 */
export function applyOrientation(image: RgbaImage, orientation: ExifOrientation): RgbaImage {
  if (orientation === 1) return image;
  const { width: w, height: h } = image;
  const size = orientedSize(image, orientation);
  const out = createRgbaImage(size.width, size.height);
  // One word per pixel; an unaligned view (rare) is copied once so it can be read as words.
  const aligned = image.data.byteOffset % 4 === 0 ? image.data : image.data.slice();
  const src = new Uint32Array(aligned.buffer, aligned.byteOffset, w * h);
  const dst = new Uint32Array(out.data.buffer);
  // Stored index of displayed (x, y) = base + x·dx + y·dy.
  const [base, dx, dy] = ((): [number, number, number] => {
    switch (orientation) {
      case 2:
        return [w - 1, -1, w];
      case 3:
        return [w * h - 1, -1, -w];
      case 4:
        return [(h - 1) * w, 1, -w];
      case 5:
        return [0, w, 1];
      case 6:
        return [(h - 1) * w, -w, 1];
      case 7:
        return [w * h - 1, -w, -1];
      case 8:
        return [w - 1, w, -1];
    }
  })();
  let d = 0;
  for (let y = 0; y < size.height; y++) {
    let s = base + y * dy;
    for (let x = 0; x < size.width; x++, d++, s += dx) dst[d] = src[s]!;
  }
  return out;
}
