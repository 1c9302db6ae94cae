// Integer-shift alignment of two RGB pictures of one scene framed differently (the MAXIM
// packages' result.png is cropped ~30 px away from its fixture.png): the shift that minimises
// the mean squared luma difference over the overlap, then PSNR over that overlap.
import type { RawImage } from './images';

export interface Shift {
  /** `b(x + dx, y + dy)` shows what `a(x, y)` shows. */
  readonly dx: number;
  readonly dy: number;
}

function luma(img: RawImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const c = img.channels;
  for (let i = 0; i < n; i++)
    out[i] = 0.299 * img.data[c * i]! + 0.587 * img.data[c * i + 1]! + 0.114 * img.data[c * i + 2]!;
  return out;
}

/** The overlap of a (w×h) with b shifted by (dx, dy), in a's coordinates. */
function overlap(w: number, h: number, { dx, dy }: Shift) {
  return {
    x0: Math.max(0, -dx),
    y0: Math.max(0, -dy),
    x1: Math.min(w, w - dx),
    y1: Math.min(h, h - dy),
  };
}

/**
 * The shift within ±`range` px that best aligns `b` to `a` (same size), by exhaustive search on
 * luma. Exhaustive because the pictures differ by the model's edit, which defeats a phase
 * correlation's single peak less reliably than it defeats a least-squares search; ±48 px on
 * 340² is about 10⁹ multiply-adds, a second or two.
 */
export function bestShift(a: RawImage, b: RawImage, range: number): Shift {
  if (a.width !== b.width || a.height !== b.height) throw new Error('bestShift: sizes differ');
  const { width: w, height: h } = a;
  const la = luma(a);
  const lb = luma(b);
  let best = { dx: 0, dy: 0 };
  let bestMse = Infinity;
  for (let dy = -range; dy <= range; dy++)
    for (let dx = -range; dx <= range; dx++) {
      const o = overlap(w, h, { dx, dy });
      let se = 0;
      for (let y = o.y0; y < o.y1; y++) {
        const ra = y * w;
        const rb = (y + dy) * w + dx;
        for (let x = o.x0; x < o.x1; x++) {
          const d = la[ra + x]! - lb[rb + x]!;
          se += d * d;
        }
      }
      const mse = se / ((o.x1 - o.x0) * (o.y1 - o.y0));
      if (mse < bestMse) [bestMse, best] = [mse, { dx, dy }];
    }
  return best;
}

/** PSNR (8-bit RGB) between `a` and `b` shifted by `shift`, over their overlap only. */
export function psnrAt(a: RawImage, b: RawImage, shift: Shift): number {
  const { width: w, height: h } = a;
  const o = overlap(w, h, shift);
  let se = 0;
  let n = 0;
  for (let y = o.y0; y < o.y1; y++)
    for (let x = o.x0; x < o.x1; x++) {
      const i = a.channels * (y * w + x);
      const j = b.channels * ((y + shift.dy) * w + x + shift.dx);
      for (let c = 0; c < 3; c++) {
        const d = a.data[i + c]! - b.data[j + c]!;
        se += d * d;
        n++;
      }
    }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / n));
}

/** `b` moved by −shift onto `a`'s frame (uncovered pixels mid-grey), RGB: for the side-by-side. */
export function shifted(b: RawImage, { dx, dy }: Shift): Uint8Array {
  const { width: w, height: h, channels: c } = b;
  const out = new Uint8Array(w * h * 3).fill(128);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const sx = x + dx;
      const sy = y + dy;
      if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
      for (let k = 0; k < 3; k++) out[3 * (y * w + x) + k] = b.data[c * (sy * w + sx) + k]!;
    }
  return out;
}
