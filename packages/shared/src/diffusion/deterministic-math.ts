// ECMAScript lets Math.log, Math.sin and Math.cos differ in the last bit between engines (V8 uses
// fdlibm, JavaScriptCore the platform libm), and one bit can flip a float32 rounding of the noise.
// These use only + − × ÷, which IEEE 754 rounds exactly and JavaScript never fuses, so every
// runtime gets the same double. Accuracy is within a few ulp, far below float32's.

/**
 * ln(u) for 0 < u ≤ 1: u = m·2^e with m in [√½, √2), then ln m = 2·atanh(s) with
 * s = (m − 1)/(m + 1), |s| ≤ 0.172, summed as 2s·Σ_{k=0..11} s^(2k)/(2k+1) by Horner's rule.
 */
export function lnUnit(u: number): number {
  let m = u;
  let e = 0;
  while (m < Math.SQRT1_2) {
    m *= 2;
    e--;
  }
  const s = (m - 1) / (m + 1);
  const z = s * s;
  let p = 1 / 23;
  for (let k = 10; k >= 0; k--) p = p * z + 1 / (2 * k + 1);
  return e * Math.LN2 + 2 * s * p;
}

/**
 * [sin 2πu, cos 2πu] for 0 ≤ u < 1: the quarter turn q = ⌊4u⌋ is taken exactly, and the rest,
 * φ = (4u − q)·π/2 in [0, π/2), goes through the Taylor series to φ²⁵ (sin) and φ²⁴ (cos) in nested
 * form, sin φ = φ(1 − φ²/(2·3)(1 − φ²/(4·5)(…))), whose dropped terms are below 1e-18.
 */
export function sinCosTurn(u: number): [number, number] {
  const t = 4 * u;
  const q = Math.floor(t);
  const phi = (t - q) * (Math.PI / 2);
  const z = phi * phi;
  let s = 1;
  let c = 1;
  for (let k = 12; k >= 1; k--) {
    s = 1 - (z / (2 * k * (2 * k + 1))) * s;
    c = 1 - (z / ((2 * k - 1) * (2 * k))) * c;
  }
  s *= phi;
  switch (q) {
    case 0:
      return [s, c];
    case 1:
      return [c, -s];
    case 2:
      return [-s, -c];
    default:
      return [-c, s];
  }
}
