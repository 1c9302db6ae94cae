import { pixelCount, type RgbaImage, type Size } from '../image/rgba-image';
import { resizePlane } from './resize';

// A uint32 whose alpha byte is all ones, whatever the platform's byte order.
const ALPHA_MASK = new Uint32Array(Uint8Array.of(0, 0, 0, 255).buffer)[0]!;

/**
 * True when every pixel has alpha 255, so models may skip all alpha work. Reads four
 * pixels per word where the buffer is aligned and stops at the first transparent one.
 *
 * @example isOpaque({ width: 1, height: 1, data: Uint8Array.of(9, 9, 9, 255) }) // true
 */
export function isOpaque(image: RgbaImage): boolean {
  const { data } = image;
  const n = pixelCount(image);
  if (data.byteOffset % 4 === 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset, n);
    // Bitwise ops yield int32, so test the missing bits rather than compare with the uint32 mask.
    for (let i = 0; i < n; i++) if ((~words[i]! & ALPHA_MASK) !== 0) return false;
    return true;
  }
  for (let i = 3; i < 4 * n; i += 4) if (data[i] !== 255) return false;
  return true;
}

/**
 * Zeroes the colour of every fully transparent pixel, in place: what sits under alpha 0 is
 * invisible on screen but any viewer can read it back (`convert -alpha off`), so a cutout
 * would otherwise still carry the removed background. Semi-transparent pixels keep their
 * straight (unpremultiplied) colour: it is what they show, and compositing needs it.
 * Returns how many pixels it cleared.
 *
 * @example clearTransparent(img) // (200, 100, 50, 0) → (0, 0, 0, 0); (200, 100, 50, 1) unchanged
 */
export function clearTransparent(image: RgbaImage): number {
  const { data } = image;
  let cleared = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] !== 0 || (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 0)) continue;
    data[i] = 0;
    data[i + 1] = 0;
    data[i + 2] = 0;
    cleared++;
  }
  return cleared;
}

/** True when some fully transparent pixel still has colour: `clearTransparent` would change it. */
export function hasColourUnderTransparent(image: RgbaImage): boolean {
  const { data } = image;
  for (let i = 0; i < data.length; i += 4)
    if (data[i + 3] === 0 && (data[i] !== 0 || data[i + 1] !== 0 || data[i + 2] !== 0)) return true;
  return false;
}

/** `image` itself when nothing hides under alpha 0, else a cleared copy: the caller's pixels stay as they are. */
export function withoutColourUnderTransparent(image: RgbaImage): RgbaImage {
  if (!hasColourUnderTransparent(image)) return image;
  const copy = { width: image.width, height: image.height, data: Uint8Array.from(image.data) };
  clearTransparent(copy);
  return copy;
}

/**
 * The alpha channel as its own plane.
 *
 * @example extractAlpha({ width: 2, height: 1, data: Uint8Array.of(1, 2, 3, 40, 5, 6, 7, 80) })
 *   // Uint8Array [40, 80]
 */
export function extractAlpha(image: RgbaImage): Uint8Array {
  const n = pixelCount(image);
  const alpha = new Uint8Array(n);
  for (let i = 0; i < n; i++) alpha[i] = image.data[4 * i + 3]!;
  return alpha;
}

/** Writes `alpha` (one byte per pixel, or one value for all) into the image's alpha channel. */
export function setAlpha(image: RgbaImage, alpha: Uint8Array | number): void {
  const n = pixelCount(image);
  const { data } = image;
  if (typeof alpha === 'number') {
    for (let i = 0; i < n; i++) data[4 * i + 3] = alpha;
    return;
  }
  if (alpha.length !== n) throw new RangeError(`alpha has ${alpha.length} values for ${n} pixels`);
  for (let i = 0; i < n; i++) data[4 * i + 3] = alpha[i]!;
}

/**
 * Multiplies colour by alpha in place (bytes, rounded half up). Lossy for low alpha: the
 * engine premultiplies in float while building tensors and uses this only for byte outputs.
 *
 * @example premultiply(img) // (200, 100, 50, 128) → (100, 50, 25, 128)
 */
export function premultiply(image: RgbaImage): void {
  const { data } = image;
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3]!;
    data[i] = Math.floor((data[i]! * a) / 255 + 0.5);
    data[i + 1] = Math.floor((data[i + 1]! * a) / 255 + 0.5);
    data[i + 2] = Math.floor((data[i + 2]! * a) / 255 + 0.5);
  }
}

/**
 * Divides colour by alpha in place; fully transparent pixels get colour 0.
 *
 * @example unpremultiply(img) // (100, 50, 25, 128) → (199, 100, 50, 128)
 */
export function unpremultiply(image: RgbaImage): void {
  const { data } = image;
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3]!;
    const k = a === 0 ? 0 : 255 / a;
    data[i] = Math.min(255, Math.floor(data[i]! * k + 0.5));
    data[i + 1] = Math.min(255, Math.floor(data[i + 1]! * k + 0.5));
    data[i + 2] = Math.min(255, Math.floor(data[i + 2]! * k + 0.5));
  }
}

/**
 * Resizes an alpha plane bilinearly (pixel-centre aligned): how transparency follows an
 * upscale whose model only sees RGB.
 *
 * @example resizeAlpha(Uint8Array.of(0, 255), { width: 2, height: 1 }, { width: 4, height: 1 })
 *   // Uint8Array [0, 64, 191, 255]
 */
export function resizeAlpha(alpha: Uint8Array, from: Size, to: Size | number): Uint8Array {
  const size = typeof to === 'number' ? { width: from.width * to, height: from.height * to } : to;
  return resizePlane(alpha, from, size, 'bilinear');
}

/**
 * A copy of the image whose fully transparent pixels take the colour of the nearest
 * visible pixel; alpha is unchanged. Transparent pixels' stored colour is arbitrary (often
 * black), and a model that sees only RGB would smear it into the visible edge.
 * Two raster passes propagate nearest-visible-pixel indices (an 8-neighbour distance
 * transform), so the cost is linear in pixels whatever the size of the transparent areas.
 *
 * @example bleedTransparentRgb(img) // (0,0,0,0) next to (200,100,50,128) → (200,100,50,0)
 */
export function bleedTransparentRgb(image: RgbaImage): RgbaImage {
  const { width, height } = image;
  const data = Uint8Array.from(image.data);
  const n = width * height;
  // Nearest visible pixel's coordinates; 16 bits each keeps this at 4 bytes per pixel.
  const wide = width >= 0xffff || height >= 0xffff;
  const none = wide ? -1 : 0xffff;
  const seedX = wide ? new Int32Array(n) : new Uint16Array(n);
  const seedY = wide ? new Int32Array(n) : new Uint16Array(n);
  let visible = 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const seen = data[4 * i + 3] !== 0;
      seedX[i] = seen ? x : none;
      seedY[i] = seen ? y : none;
      if (seen) visible++;
    }
  }
  if (visible === 0 || visible === n) return { width, height, data };

  // Adopts neighbour (nx, ny)'s seed for pixel (x, y) when it is nearer than the current one.
  const consider = (x: number, y: number, nx: number, ny: number) => {
    if (nx < 0 || nx >= width || ny < 0) return;
    const j = ny * width + nx;
    const cx = seedX[j]!;
    if (cx === none) return;
    const cy = seedY[j]!;
    const i = y * width + x;
    const bx = seedX[i]!;
    const dcx = cx - x;
    const dcy = cy - y;
    if (bx !== none) {
      const dbx = bx - x;
      const dby = seedY[i]! - y;
      if (dbx * dbx + dby * dby <= dcx * dcx + dcy * dcy) return;
    }
    seedX[i] = cx;
    seedY[i] = cy;
  };
  const isSeed = (x: number, y: number, i: number) => seedX[i] === x && seedY[i] === y;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (isSeed(x, y, y * width + x)) continue;
      consider(x, y, x - 1, y);
      consider(x, y, x - 1, y - 1);
      consider(x, y, x, y - 1);
      consider(x, y, x + 1, y - 1);
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      if (isSeed(x, y, y * width + x)) continue;
      consider(x, y, x + 1, y);
      if (y + 1 < height) {
        consider(x, y, x + 1, y + 1);
        consider(x, y, x, y + 1);
        consider(x, y, x - 1, y + 1);
      }
    }
  }
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (isSeed(x, y, i)) continue;
      const s = 4 * (seedY[i]! * width + seedX[i]!);
      data[4 * i] = data[s]!;
      data[4 * i + 1] = data[s + 1]!;
      data[4 * i + 2] = data[s + 2]!;
    }
  }
  return { width, height, data };
}
