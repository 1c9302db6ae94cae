import type { OihwKernel } from './kernel-layout';

/** A low-resolution conv that, followed by DepthToSpace(s, DCR), replaces upsample + conv. */
export interface FoldedConv {
  readonly kernel: OihwKernel;
  readonly bias: Float32Array;
  readonly pads: number;
}

const floorDiv = (a: number, b: number) => Math.floor(a / b);

/**
 * Folds `Conv(k x k, zero 'same' padding) ∘ NearestUpsample(s)` into one conv at the low
 * resolution with `s² x out` channels, ordered for DepthToSpace DCR (channel (i·s + j)·out + o
 * is output pixel (s·y + i, s·x + j)).
 *
 * Why it is exact: output row s·y + i reads upsampled rows s·y + i + dy, which are low-res row
 * y + ⌊(i + dy) / s⌋, so each sub-pixel phase is a small conv on the low-res tensor whose taps
 * sum the original taps landing on the same low-res pixel. Borders match too: an upsampled row
 * is outside [0, s·H) exactly when its low-res row is outside [0, H), and both convs pad zeros.
 * It moves the same number of multiply-adds but never materialises the s²-times larger input.
 */
export function foldNearestUpsampleIntoConv(
  kernel: OihwKernel,
  bias: Float32Array,
  s: number,
): FoldedConv {
  const [out, inC, kh, kw] = kernel.dims;
  if (kh !== kw || kh % 2 === 0) throw new Error(`only odd square kernels fold (got ${kh}x${kw})`);
  const r = (kh - 1) / 2;
  const radius = Math.max(-floorDiv(-r, s), floorDiv(s - 1 + r, s));
  const size = 2 * radius + 1;
  const folded = new Float32Array(s * s * out * inC * size * size);
  for (let i = 0; i < s; i++)
    for (let j = 0; j < s; j++)
      for (let o = 0; o < out; o++) {
        const fo = (i * s + j) * out + o;
        for (let c = 0; c < inC; c++)
          for (let dy = -r; dy <= r; dy++)
            for (let dx = -r; dx <= r; dx++) {
              const a = floorDiv(i + dy, s) + radius;
              const b = floorDiv(j + dx, s) + radius;
              const at = ((fo * inC + c) * size + a) * size + b;
              folded[at] = folded[at]! + kernel.data[((o * inC + c) * kh + dy + r) * kw + dx + r]!;
            }
      }
  const foldedBias = new Float32Array(s * s * out);
  for (let p = 0; p < s * s; p++) foldedBias.set(bias, p * out);
  return {
    kernel: { data: folded, dims: [s * s * out, inC, size, size] },
    bias: foldedBias,
    pads: radius,
  };
}
