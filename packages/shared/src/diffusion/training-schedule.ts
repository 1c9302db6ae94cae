import type { ResolvedSchedulerConfig } from './scheduler-config';

/**
 * The noise levels a model was trained on, one per training timestep t = 0 … T−1:
 * betas → ᾱ_t = ∏(1 − β) → σ_t = sqrt((1 − ᾱ_t) / ᾱ_t), the k-diffusion noise level of
 * x_t = x₀ + σ_t·ε. diffusers holds betas, alphas, ᾱ and σ as float32 tensors (ᾱ from a cumulative
 * product that PyTorch accumulates in float64), and float32 rounding moves σ_0 by 1e-5, so each
 * value here is rounded to float32 where diffusers' is.
 */
export interface TrainingSchedule {
  readonly alphasCumprod: Float64Array;
  /** σ_t for t = 0 … T−1, ascending. */
  readonly sigmas: Float64Array;
  readonly logSigmas: Float64Array;
}

const MAX_BETA = 0.999;
/** diffusers holds ᾱ at the last step here under zero-terminal-SNR so that σ stays finite. */
const ZERO_SNR_ALPHA_CUMPROD = 2 ** -24;

function linearBetas(start: number, end: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) =>
    n === 1 ? start : start + ((end - start) * i) / (n - 1),
  );
}

/** Glide's cosine schedule ("squaredcos_cap_v2"): β_i = 1 − ᾱ(t_{i+1}) / ᾱ(t_i), capped. */
function cosineBetas(n: number): Float64Array {
  const alphaBar = (t: number) => Math.cos((((t + 0.008) / 1.008) * Math.PI) / 2) ** 2;
  return Float64Array.from({ length: n }, (_, i) =>
    Math.min(1 - alphaBar((i + 1) / n) / alphaBar(i / n), MAX_BETA),
  );
}

function configBetas(c: ResolvedSchedulerConfig): Float64Array {
  const n = c.num_train_timesteps;
  if (c.trained_betas) return Float64Array.from(c.trained_betas);
  switch (c.beta_schedule) {
    case 'linear':
      return linearBetas(c.beta_start, c.beta_end, n);
    case 'scaled_linear':
      return linearBetas(Math.sqrt(c.beta_start), Math.sqrt(c.beta_end), n).map((b) => b * b);
    case 'squaredcos_cap_v2':
      return cosineBetas(n);
  }
}

const f32 = Math.fround;

/** torch.cumprod on float32: the running product in float64, each output rounded to float32. */
function cumprod(values: Float64Array): Float64Array {
  let p = 1;
  return values.map((v) => f32((p *= v)));
}

/** "Common Diffusion Noise Schedules and Sample Steps are Flawed" (Lin et al. 2023), Algorithm 1. */
function zeroTerminalSnr(betas: Float64Array): Float64Array {
  const sqrtBar = cumprod(betas.map((b) => 1 - b)).map(Math.sqrt);
  const first = sqrtBar[0]!;
  const last = sqrtBar[sqrtBar.length - 1]!;
  const bar = sqrtBar.map((s) => ((s - last) * first) / (first - last)).map((s) => s * s);
  return bar.map((a, i) => 1 - (i === 0 ? a : a / bar[i - 1]!));
}

/** The training schedule a scheduler_config describes (see `TrainingSchedule`). */
export function trainingSchedule(c: ResolvedSchedulerConfig): TrainingSchedule {
  let betas = configBetas(c).map(f32);
  if (c.rescale_betas_zero_snr) betas = zeroTerminalSnr(betas).map(f32);
  const alphasCumprod = cumprod(betas.map((b) => f32(1 - b)));
  if (c.rescale_betas_zero_snr) alphasCumprod[alphasCumprod.length - 1] = ZERO_SNR_ALPHA_CUMPROD;
  const sigmas = alphasCumprod.map((a) => f32(Math.sqrt(f32(f32(1 - a) / a))));
  return { alphasCumprod, sigmas, logSigmas: sigmas.map(Math.log) };
}

/**
 * The (fractional) training timestep of a noise level: linear interpolation in log σ between the
 * two training levels around it, clamped to 0 … T−1, as diffusers maps Karras sigmas to timesteps.
 */
export function sigmaToTimestep(sigma: number, logSigmas: Float64Array): number {
  const logSigma = Math.log(Math.max(sigma, 1e-10));
  // The last level at or below σ (0 when σ is below them all), kept one short of the end.
  let low = 0;
  for (let t = 0; t < logSigmas.length; t++) if (logSigmas[t]! <= logSigma) low = t;
  low = Math.min(low, logSigmas.length - 2);
  const lo = logSigmas[low]!;
  const hi = logSigmas[low + 1]!;
  const w = Math.min(1, Math.max(0, (lo - logSigma) / (lo - hi)));
  return (1 - w) * low + w * (low + 1);
}
