// diffusers builds its timestep grids with numpy. These helpers do the same float64 operations in the
// same order, so a grid that lands on a rounding tie (999 * 10/20 = 499.5) rounds the way numpy rounds it.

/** numpy.linspace: `i * step + start`, the last point set to `stop` exactly when `endpoint`. */
export function linspace(start: number, stop: number, num: number, endpoint = true): number[] {
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const step = div > 0 ? delta / div : NaN;
  const out = Array.from({ length: num }, (_, i) => {
    if (div <= 0) return i * delta + start;
    // numpy divides first when the step underflows to zero (denormal ranges).
    return (step === 0 ? (i / div) * delta : i * step) + start;
  });
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}

/**
 * numpy.arange with a float step: ceil((stop − start) / step) values `start + i·d`, where numpy's
 * fill uses d = (start + step) − start rather than `step` itself.
 */
export function arange(start: number, stop: number, step: number): number[] {
  const length = Math.max(0, Math.ceil((stop - start) / step));
  const d = start + step - start;
  return Array.from({ length }, (_, i) =>
    i === 0 ? start : i === 1 ? start + step : start + i * d,
  );
}

/** numpy.round / rint: ties go to the even neighbour (Math.round sends them up). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** numpy.interp over the grid xp = 0, 1, …, fp.length − 1, clamped at both ends. */
export function interpOnIndex(x: number, fp: ArrayLike<number>): number {
  const last = fp.length - 1;
  if (x <= 0) return fp[0]!;
  if (x >= last) return fp[last]!;
  const j = Math.floor(x);
  if (x === j) return fp[j]!;
  return (fp[j + 1]! - fp[j]!) * (x - j) + fp[j]!;
}
