import { sinPi } from './trig';

/**
 * The resampling kernels a user can name. `bicubic` is Catmull-Rom (Keys, a = −½; Mitchell–
 * Netravali B = 0, C = ½): it interpolates, so resizing by 1 changes nothing, and it is what
 * most editors call bicubic. `lanczos3` is the 3-lobe windowed sinc.
 */
export const RESAMPLE_KERNELS = ['nearest', 'bilinear', 'bicubic', 'lanczos3'] as const;
export type ResampleKernel = (typeof RESAMPLE_KERNELS)[number];

/** Kernels that blend neighbours; `nearest` copies pixels instead. */
export type FilterKernel = Exclude<ResampleKernel, 'nearest'>;

interface KernelShape {
  /** Half-width in source pixels at scale 1. */
  readonly radius: number;
  weight(d: number): number;
}

function catmullRom(d: number): number {
  const x = Math.abs(d);
  if (x < 1) return (1.5 * x - 2.5) * x * x + 1;
  if (x < 2) return ((-0.5 * x + 2.5) * x - 4) * x + 2;
  return 0;
}

function lanczos3(d: number): number {
  const x = Math.abs(d);
  if (x === 0) return 1;
  if (x >= 3) return 0;
  return (3 * sinPi(x) * sinPi(x / 3)) / (9.869604401089358 * x * x);
}

export const KERNEL_SHAPES: Record<FilterKernel, KernelShape> = {
  bilinear: { radius: 1, weight: (d) => Math.max(0, 1 - Math.abs(d)) },
  bicubic: { radius: 2, weight: catmullRom },
  lanczos3: { radius: 3, weight: lanczos3 },
};

/** Fixed-point weights: every set of taps sums to exactly this, so flat areas stay flat. */
export const WEIGHT_BITS = 14;
export const WEIGHT_ONE = 1 << WEIGHT_BITS;

/**
 * Float weights as integers summing to exactly WEIGHT_ONE; the rounding remainder goes to the
 * largest tap, where it changes the result least.
 *
 * @example quantizeWeights([0.25, 0.5, 0.25]) // Int32Array [4096, 8192, 4096]
 */
export function quantizeWeights(weights: readonly number[]): Int32Array {
  let sum = 0;
  for (const w of weights) sum += w;
  const out = new Int32Array(weights.length);
  let total = 0;
  let largest = 0;
  weights.forEach((w, k) => {
    out[k] = Math.round((w / sum) * WEIGHT_ONE);
    total += out[k]!;
    if (Math.abs(w) > Math.abs(weights[largest]!)) largest = k;
  });
  out[largest] = out[largest]! + WEIGHT_ONE - total;
  return out;
}
