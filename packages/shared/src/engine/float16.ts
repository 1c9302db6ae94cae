// IEEE 754 binary16 ↔ binary32 for float16 tensors. JavaScript runtimes Loupe targets (Node 20,
// Chromium's workers) have no Float16Array, and onnxruntime (node and web) takes a float16
// tensor as its raw bits in a Uint16Array. Integer arithmetic on the float's bits only, so every
// runtime converts to the same bits, and a whole latent converts in well under a millisecond.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The binary16 bits nearest a number (first rounded to float32), ties to even, as IEEE 754 and
 * onnxruntime's Cast round; overflow gives ±Infinity, NaN stays a (quiet) NaN.
 *
 * @example float16Bits(1) // 0x3c00; float16Bits(65520) // 0x7c00 (Infinity)
 */
export function float16Bits(value: number): number {
  f32[0] = value;
  return halfOfFloatBits(u32[0]!);
}

function halfOfFloatBits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  // Re-bias 127 → 15.
  const e = exponent - 112;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // A subnormal half (or zero): the implicit 1 joins the mantissa, shifted into place and rounded.
    if (e < -10) return sign;
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    const up = rest > midpoint || (rest === midpoint && (half & 1) === 1);
    return sign | (half + (up ? 1 : 0));
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  const up = rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1);
  // A carry out of the mantissa rolls into the exponent (up to Infinity): the bit layout does it.
  return sign | (half + (up ? 1 : 0));
}

/**
 * The value of binary16 bits (exact: every half is a float32).
 *
 * @example float16Value(0x3555) // 0.333251953125
 */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** A float32 array as binary16 bits, each rounded to nearest, ties to even. */
export function toFloat16Bits(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfOfFloatBits(bits[i]!);
  return out;
}

/** binary16 bits as float32 values (exact). */
export function fromFloat16Bits(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16Value(bits[i]!);
  return out;
}
