// Premultiplied RGBA in exact integers: colour × alpha (0…65025) and alpha (0…255). Geometry
// resamples in this form so transparent pixels lend no colour (no dark halos at cut-out edges),
// and, with integer weights, every sum is an integer below 2⁵³: exact in any JS engine.

/**
 * Premultiplied pixels `from`…`to` (exclusive) of straight RGBA `data` into `out`, four values
 * a pixel. colour × alpha ≤ 65025 fits 16 bits, so a Uint16Array holds it without loss.
 */
export function premultiplyInto(
  data: Uint8Array,
  from: number,
  to: number,
  out: Uint16Array | Float64Array,
): void {
  for (let p = from, o = 0; p < to; p++, o += 4) {
    const i = 4 * p;
    const a = data[i + 3]!;
    out[o] = data[i]! * a;
    out[o + 1] = data[i + 1]! * a;
    out[o + 2] = data[i + 2]! * a;
    out[o + 3] = a;
  }
}

const clampByte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.floor(v + 0.5));

/**
 * Writes one straight-RGBA pixel from premultiplied sums that carry a common `scale` (the
 * product of the weights' fixed-point ones): colour is P/A, so the scale cancels.
 */
export function storeStraight(
  sums: Float64Array,
  s: number,
  scale: number,
  out: Uint8Array,
  o: number,
): void {
  const a = sums[s + 3]!;
  if (a <= 0) {
    out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0;
    return;
  }
  out[o] = clampByte(sums[s]! / a);
  out[o + 1] = clampByte(sums[s + 1]! / a);
  out[o + 2] = clampByte(sums[s + 2]! / a);
  out[o + 3] = clampByte(a / scale);
}
