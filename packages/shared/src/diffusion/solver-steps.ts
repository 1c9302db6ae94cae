// One step of each sampler in k-diffusion form: the latent x sits at noise level σ (x = x₀ + σ·ε),
// D is the denoiser's x₀ for it, and the step returns the latent at σ'. diffusers states DPM-Solver,
// DDIM and LCM on the variance-preserving latent x/sqrt(1 + σ²); dividing their updates by
// sqrt(1 + σ'²) gives the forms below, term for term.

/** Euler (diffusers EulerDiscrete, s_churn 0): x' = D + (σ'/σ)(x − D), exactly D when σ' = 0. */
export function eulerStep(
  x: Float32Array,
  d: Float32Array,
  sigma: number,
  next: number,
): Float32Array {
  const ratio = next / sigma;
  return x.map((xi, j) => d[j]! + ratio * (xi - d[j]!));
}

/**
 * Euler ancestral: step deterministically down to σ_down, then add fresh noise of σ_up, with
 * σ_up² + σ_down² = σ'². σ_down is written σ'²/σ, equal to diffusers' sqrt(σ'² − σ_up²) without
 * the cancellation.
 */
export function eulerAncestralStep(
  x: Float32Array,
  d: Float32Array,
  sigma: number,
  next: number,
  noise: Float32Array,
): Float32Array {
  const up = Math.sqrt((next * next * (sigma * sigma - next * next)) / (sigma * sigma));
  const ratio = (next * next) / sigma / sigma;
  return x.map((xi, j) => d[j]! + ratio * (xi - d[j]!) + up * noise[j]!);
}

export interface DpmHistory {
  /** The previous step's D and the σ it was taken at. */
  denoised: Float32Array;
  sigma: number;
}

/**
 * DPM-Solver++ (Lu et al. 2022), data prediction, in log-SNR λ = −ln σ with h = λ' − λ.
 * First order: x' = (σ'/σ)x − expm1(−h)·D (DDIM's step). Second order (2M) adds the slope
 * D1 = (D − D_prev)/r, r = h_prev/h: midpoint uses D + D1/2, heun the exact-integral weight.
 */
export function dpmSolverStep(
  x: Float32Array,
  d: Float32Array,
  sigma: number,
  next: number,
  previous: DpmHistory | null,
  solver: 'midpoint' | 'heun',
): Float32Array {
  const h = Math.log(sigma / next);
  const em = Math.expm1(-h);
  const scale = next / sigma;
  if (!previous || next === 0) return x.map((xi, j) => scale * xi - em * d[j]!);
  const r = Math.log(previous.sigma / sigma) / h;
  const m1 = previous.denoised;
  if (solver === 'midpoint')
    return x.map((xi, j) => scale * xi - em * (d[j]! + (0.5 / r) * (d[j]! - m1[j]!)));
  const w = em / h + 1;
  return x.map((xi, j) => scale * xi - em * d[j]! + (w / r) * (d[j]! - m1[j]!));
}

/**
 * DDIM with η = 0: keep the model's noise direction ε = (x − D)/σ and re-place it at σ'. With
 * clip_sample, x₀ is clipped but ε still comes from the unclipped prediction, as in diffusers.
 */
export function ddimStep(
  x: Float32Array,
  d: Float32Array,
  sigma: number,
  next: number,
  clipRange: number | null,
): Float32Array {
  return x.map((xi, j) => {
    const eps = (xi - d[j]!) / sigma;
    return clip(d[j]!, clipRange) + next * eps;
  });
}

/**
 * LCM's consistency output (Luo et al. 2023): c_out·x₀ + c_skip·x_vp with the boundary scalings
 * at timestep t (σ_data = 0.5, t scaled by timestep_scaling), so it is exact as t → 0.
 */
export function lcmDenoised(
  x: Float32Array,
  d: Float32Array,
  sigma: number,
  timestep: number,
  timestepScaling: number,
  clipRange: number | null,
): Float32Array {
  const t = timestep * timestepScaling;
  const cSkip = 0.25 / (t * t + 0.25);
  const cOut = t / Math.sqrt(t * t + 0.25);
  const toVp = 1 / Math.sqrt(1 + sigma * sigma);
  return x.map((xi, j) => cOut * clip(d[j]!, clipRange) + cSkip * xi * toVp);
}

/** LCM multistep: re-noise the consistency output to the next level with fresh noise. */
export function lcmStep(
  denoised: Float32Array,
  next: number,
  noise: Float32Array | null,
): Float32Array {
  return noise ? denoised.map((v, j) => v + next * noise[j]!) : denoised.slice();
}

function clip(v: number, range: number | null): number {
  return range === null ? v : Math.min(range, Math.max(-range, v));
}
