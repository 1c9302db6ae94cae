import { createRgbaImage, type RgbaImage } from '../image/rgba-image';
import { assertRectInside, type Rect } from './rect';

/**
 * The pixels of `rect`, copied row by row.
 *
 * @example cropRgba(image, { x: 10, y: 0, width: 32, height: 32 }) // 32×32
 */
export function cropRgba(image: RgbaImage, rect: Rect): RgbaImage {
  assertRectInside(rect, image.width, image.height, 'crop');
  const out = createRgbaImage(rect.width, rect.height);
  const rowBytes = 4 * rect.width;
  for (let y = 0; y < rect.height; y++) {
    const from = 4 * ((rect.y + y) * image.width + rect.x);
    out.data.set(image.data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return out;
}
