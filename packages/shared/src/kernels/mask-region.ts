import type { Mask } from '../image/mask';
import type { Rect } from './rect';

/** The smallest rect holding every selected (non-zero) pixel; undefined when none is. */
export function maskBounds(mask: Mask): Rect | undefined {
  const { width, height, data } = mask;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (data[row + x] === 0) continue;
      if (first < 0) first = x;
      last = x;
    }
    if (first < 0) continue;
    if (y0 > y) y0 = y;
    y1 = y;
    if (x0 > first) x0 = first;
    if (x1 < last) x1 = last;
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** `rect` widened by `margin` on every side, clipped to a `width × height` frame. */
export function expandRect(rect: Rect, margin: number, width: number, height: number): Rect {
  const x = Math.max(0, rect.x - margin);
  const y = Math.max(0, rect.y - margin);
  return {
    x,
    y,
    width: Math.min(width, rect.x + rect.width + margin) - x,
    height: Math.min(height, rect.y + rect.height + margin) - y,
  };
}

/** The mask's bytes inside `rect` (which must lie inside it). */
export function cropMask(mask: Mask, rect: Rect): Mask {
  const data = new Uint8Array(rect.width * rect.height);
  for (let y = 0; y < rect.height; y++) {
    const from = (rect.y + y) * mask.width + rect.x;
    data.set(mask.data.subarray(from, from + rect.width), y * rect.width);
  }
  return { width: rect.width, height: rect.height, data };
}

/**
 * Each row's running maximum over `x - reach … x + reach` (van Herk–Gil–Werman: three
 * comparisons a pixel whatever the reach), written into `out`.
 */
function rowMax(src: Uint8Array, width: number, height: number, reach: number, out: Uint8Array) {
  if (reach === 0) return out.set(src);
  const span = 2 * reach + 1;
  const padded = width + 2 * reach;
  const forward = new Uint8Array(padded);
  const backward = new Uint8Array(padded);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // Padding reads as 0 (nothing selected beyond the edge).
    const at = (i: number) => (i < reach || i >= reach + width ? 0 : src[row + i - reach]!);
    for (let i = 0; i < padded; i++)
      forward[i] = i % span === 0 ? at(i) : Math.max(forward[i - 1]!, at(i));
    for (let i = padded - 1; i >= 0; i--)
      backward[i] =
        i === padded - 1 || (i + 1) % span === 0 ? at(i) : Math.max(backward[i + 1]!, at(i));
    for (let x = 0; x < width; x++) out[row + x] = Math.max(backward[x]!, forward[x + 2 * reach]!);
  }
}

/**
 * The mask widened by a disc of radius `by` pixels: each pixel takes the largest value within
 * that distance, so a soft (feathered) edge moves outwards keeping its profile.
 *
 * @example growMask({ width: 3, height: 1, data: Uint8Array.of(0, 255, 0) }, 1).data // 255, 255, 255
 */
export function growMask(mask: Mask, by: number): Mask {
  const { width, height } = mask;
  const out = new Uint8Array(width * height);
  if (by <= 0) {
    out.set(mask.data);
    return { width, height, data: out };
  }
  const rows = new Uint8Array(width * height);
  // The disc as rows: at vertical offset dy it reaches floor(√(by² − dy²)) sideways.
  for (let dy = 0; dy <= by; dy++) {
    rowMax(mask.data, width, height, Math.floor(Math.sqrt(by * by - dy * dy)), rows);
    for (let y = 0; y < height; y++) {
      for (const sy of dy === 0 ? [y] : [y - dy, y + dy]) {
        if (sy < 0 || sy >= height) continue;
        const to = y * width;
        const from = sy * width;
        for (let x = 0; x < width; x++)
          if (rows[from + x]! > out[to + x]!) out[to + x] = rows[from + x]!;
      }
    }
  }
  return { width, height, data: out };
}
