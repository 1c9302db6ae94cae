import { createRgbaImage, type RgbaImage, type Size } from '../image/rgba-image';
import { premultiplyInto, storeStraight } from './premultiplied';
import { KERNEL_SHAPES, WEIGHT_ONE, quantizeWeights } from './resample-kernels';
import { cosPi, sinPi } from './trig';

export const STRAIGHTEN_INTERPOLATIONS = ['bilinear', 'bicubic'] as const;
export type StraightenInterpolation = (typeof STRAIGHTEN_INTERPOLATIONS)[number];

/**
 * `crop`: the largest rectangle of the picture's own aspect ratio that the turned picture
 * covers, centred, so no corner is empty (what photo editors' straighten does).
 * `expand`: the whole turned picture, its empty corners transparent.
 */
export const STRAIGHTEN_FITS = ['crop', 'expand'] as const;
export type StraightenFit = (typeof STRAIGHTEN_FITS)[number];

/** Sub-pixel positions are rounded to 1/256 px; each phase has its own integer weights. */
const PHASES = 256;

/** Guards ⌊⌋ and ⌈⌉ of sizes against the last bit of float noise (e.g. 99.99999999999999). */
const EPS = 1e-9;

const turn = (degrees: number) => {
  const a = Math.abs(degrees) / 180;
  return { cos: cosPi(a), sin: sinPi(a) };
};

/**
 * The output size of straighten, from the deterministic sin/cos in trig.ts.
 * For crop, a centred k·w × k·h rectangle fits inside the w×h picture turned by θ when
 * k(w cos θ + h sin θ) ≤ w and k(w sin θ + h cos θ) ≤ h.
 *
 * @example straightenedSize({ width: 100, height: 100 }, 45, 'expand') // 142×142
 */
export function straightenedSize(size: Size, degrees: number, fit: StraightenFit): Size {
  const { width: w, height: h } = size;
  if (degrees === 0) return { width: w, height: h };
  const { cos, sin } = turn(degrees);
  if (fit === 'expand')
    return {
      width: Math.ceil(w * cos + h * sin - EPS),
      height: Math.ceil(w * sin + h * cos - EPS),
    };
  const k = Math.min(w / (w * cos + h * sin), h / (w * sin + h * cos));
  return {
    width: Math.max(1, Math.floor(k * w + EPS)),
    height: Math.max(1, Math.floor(k * h + EPS)),
  };
}

interface PhaseTable {
  readonly taps: number;
  /** First tap's offset from ⌊position⌋. */
  readonly offset: number;
  /** `taps` integer weights for each of PHASES + 1 phases, each set summing to WEIGHT_ONE. */
  readonly weights: Int32Array;
}

function phaseTable(interpolation: StraightenInterpolation): PhaseTable {
  const shape = KERNEL_SHAPES[interpolation];
  const taps = 2 * shape.radius;
  const offset = 1 - shape.radius;
  const weights = new Int32Array((PHASES + 1) * taps);
  for (let p = 0; p <= PHASES; p++) {
    const f = p / PHASES;
    const raw = Array.from({ length: taps }, (_, k) => shape.weight(offset + k - f));
    weights.set(quantizeWeights(raw), p * taps);
  }
  return { taps, offset, weights };
}

/**
 * Turns the picture by `degrees` (positive: clockwise) about its centre, sampling premultiplied
 * RGBA with integer weights; only the turn's sin and cos are floats, from trig.ts. With `crop`
 * samples past the edge repeat it (the crop keeps them within half a pixel); with `expand`
 * they are transparent.
 *
 * @example straightenRgba(photo, -2.5, 'bicubic', 'crop')
 */
export function straightenRgba(
  image: RgbaImage,
  degrees: number,
  interpolation: StraightenInterpolation,
  fit: StraightenFit,
): RgbaImage {
  const to = straightenedSize(image, degrees, fit);
  const out = createRgbaImage(to.width, to.height);
  if (degrees === 0) {
    out.data.set(image.data);
    return out;
  }
  const { width: w, height: h, data } = image;
  const { cos, sin: unsigned } = turn(degrees);
  const sin = degrees < 0 ? -unsigned : unsigned;
  const table = phaseTable(interpolation);
  const { taps, offset, weights } = table;
  const transparent = fit === 'expand';
  // Premultiplied once, not once per tap: 8 bytes a pixel.
  const pm = new Uint16Array(4 * w * h);
  premultiplyInto(data, 0, w * h, pm);
  const sums = new Float64Array(4);
  const scale = WEIGHT_ONE * WEIGHT_ONE;
  for (let j = 0; j < to.height; j++) {
    const dy = j + 0.5 - to.height / 2;
    for (let i = 0; i < to.width; i++) {
      const dx = i + 0.5 - to.width / 2;
      // The inverse turn: which source point lands on this output pixel's centre.
      const sx = w / 2 + dx * cos + dy * sin - 0.5;
      const sy = h / 2 - dx * sin + dy * cos - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      // Phase PHASES (a fraction rounded up to 1) has its own row: weights shifted by one tap.
      const fx = Math.round((sx - x0) * PHASES);
      const fy = Math.round((sy - y0) * PHASES);
      sums.fill(0);
      for (let ky = 0; ky < taps; ky++) {
        const wy = weights[fy * taps + ky]!;
        if (wy === 0) continue;
        let y = y0 + offset + ky;
        if (y < 0 || y >= h) {
          if (transparent) continue;
          y = y < 0 ? 0 : h - 1;
        }
        for (let kx = 0; kx < taps; kx++) {
          const wx = weights[fx * taps + kx]!;
          if (wx === 0) continue;
          let x = x0 + offset + kx;
          if (x < 0 || x >= w) {
            if (transparent) continue;
            x = x < 0 ? 0 : w - 1;
          }
          const s = 4 * (y * w + x);
          const k = wx * wy;
          sums[0] = sums[0]! + k * pm[s]!;
          sums[1] = sums[1]! + k * pm[s + 1]!;
          sums[2] = sums[2]! + k * pm[s + 2]!;
          sums[3] = sums[3]! + k * pm[s + 3]!;
        }
      }
      storeStraight(sums, 0, scale, out.data, 4 * (j * to.width + i));
    }
  }
  return out;
}
