/**
 * sin(πx) and cos(πx) from + − × and Math.round alone. `Math.sin` is left to each engine
 * (V8 ports fdlibm today, other engines and future versions need not), and straighten's output
 * size and every resampling weight depend on these values: computing them here keeps the
 * browser worker and the server child on the same bytes whatever runs them.
 * Taylor series to t²³ on |t| ≤ π/2: the truncation error is below 1e-17.
 */
function sinSeries(t: number): number {
  const t2 = t * t;
  let sum = 0;
  // Horner form of Σ (−1)^k t^(2k+1) / (2k+1)!, k = 0…11, innermost term first.
  for (let k = 11; k >= 0; k--) sum = 1 - (sum * t2) / ((2 * k + 2) * (2 * k + 3));
  return sum * t;
}

function cosSeries(t: number): number {
  const t2 = t * t;
  let sum = 0;
  for (let k = 11; k >= 0; k--) sum = 1 - (sum * t2) / ((2 * k + 1) * (2 * k + 2));
  return sum;
}

// π to the precision of a double; a literal, so no engine's Math.PI is trusted either.
const PI = 3.141592653589793;

/** `x` reduced to [−1, 1] by whole turns (exact for the doubles this code sees). */
const halfTurns = (x: number) => x - 2 * Math.round(x / 2);

/**
 * sin(πx), exactly 0 at every integer and ±1 at odd halves.
 *
 * @example sinPi(0.5) // 1
 */
export function sinPi(x: number): number {
  let r = halfTurns(x);
  // sin(π(1 − r)) = sin(πr): folds r into [−½, ½], where the series converges fastest.
  if (r > 0.5) r = 1 - r;
  else if (r < -0.5) r = -1 - r;
  // Near the peaks the cosine series is the more accurate one, and it makes sinPi(½) exactly 1.
  if (r > 0.25) return cosSeries(PI * (0.5 - r));
  if (r < -0.25) return -cosSeries(PI * (0.5 + r));
  return sinSeries(PI * r);
}

/**
 * cos(πx), exactly 1 at 0.
 *
 * @example cosPi(1 / 3) // 0.5 (to 1e-16)
 */
export function cosPi(x: number): number {
  const r = Math.abs(halfTurns(x));
  // cos(πr) = −cos(π(1 − r)).
  return r > 0.5 ? -cosSeries(PI * (1 - r)) : cosSeries(PI * r);
}
