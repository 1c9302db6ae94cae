import { karrasSigmas } from './karras';
import { arange, interpOnIndex, linspace, roundHalfEven } from './numpy-like';
import type { ResolvedSchedulerConfig } from './scheduler-config';
import { sigmaToTimestep, type TrainingSchedule } from './training-schedule';

/**
 * One scheduler's full schedule for n steps, as its diffusers class's `set_timesteps` makes it, in
 * k-diffusion units (x = x₀ + σ·ε). Step i starts from a latent at `sigmas[i]`, gives the UNet
 * `timesteps[i]`, and moves it to `targets[i]`.
 */
export interface Schedule {
  timesteps: number[];
  sigmas: number[];
  /** Usually the next step's σ; DDIM's own rule (t − T/n) can differ from it, and the sampler follows. */
  targets: number[];
  /** Std of the pure-noise latent the schedule starts from. */
  initNoiseSigma: number;
  /**
   * diffusers' DPM-Solver, DDIM and LCM step the variance-preserving latent x/sqrt(1 + σ²), so when
   * they stop short of σ = 0 that is what they hand the VAE: the last latent times this.
   */
  outputScale: number;
}

interface Inputs {
  c: ResolvedSchedulerConfig;
  train: TrainingSchedule;
  n: number;
}

const reversed = (a: number[]) => a.slice().reverse();
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const f32 = (a: number[]) => a.map(Math.fround);
const withNext = (sigmas: number[], final: number) => sigmas.map((_, i) => sigmas[i + 1] ?? final);
/** A VP scheduler starts from unit-variance noise, which is sqrt(1 + σ²) in k-diffusion units. */
const vpInitNoise = (sigma: number) => Math.sqrt(1 + sigma * sigma);
const vpOutput = (targets: number[]) => 1 / vpInitNoise(targets[targets.length - 1]!);

/** EulerDiscreteScheduler (and the ancestral variant, which has no Karras option of its own). */
export function eulerSchedule({ c, train, n }: Inputs, karras: boolean): Schedule {
  const T = c.num_train_timesteps;
  let timesteps: number[];
  if (c.timestep_spacing === 'linspace') timesteps = f32(reversed(linspace(0, T - 1, n)));
  else if (c.timestep_spacing === 'leading') {
    const ratio = Math.floor(T / n);
    timesteps = reversed(range(n).map((i) => i * ratio)).map((t) => t + c.steps_offset);
  } else timesteps = arange(T, 0, -T / n).map((t) => roundHalfEven(t) - 1);
  let sigmas = timesteps.map((t) => interpOnIndex(t, train.sigmas));
  if (karras) {
    // The Karras range is that of the spaced levels (or the config's), not the training range.
    sigmas = karrasSigmas(n, c.sigma_min ?? sigmas[n - 1]!, c.sigma_max ?? sigmas[0]!);
    timesteps = sigmas.map((s) => sigmaToTimestep(s, train.logSigmas));
  }
  sigmas = f32(sigmas);
  if (c.timestep_type === 'continuous' && c.prediction_type === 'v_prediction')
    timesteps = sigmas.map((s) => 0.25 * Math.log(s));
  const final = c.final_sigmas_type === 'sigma_min' ? train.sigmas[0]! : 0;
  const maxSigma = Math.max(...sigmas, final);
  return {
    timesteps: f32(timesteps),
    sigmas,
    targets: withNext(sigmas, final),
    // diffusers' Euler treats a "leading" start as VP noise, the others as σ_max·ε.
    initNoiseSigma: c.timestep_spacing === 'leading' ? vpInitNoise(maxSigma) : maxSigma,
    outputScale: 1,
  };
}

/** DPMSolverMultistepScheduler: n + 1 grid points with the last dropped, integer timesteps. */
export function dpmSolverSchedule({ c, train, n }: Inputs, karras: boolean): Schedule {
  const T = c.num_train_timesteps;
  // λ_min clipping cuts the schedule where log-SNR falls below the floor (cosine schedules).
  const lambdas = Array.from(train.alphasCumprod, (a) => 0.5 * Math.log(a) - 0.5 * Math.log(1 - a));
  const last = T - lambdas.filter((l) => l < c.lambda_min_clipped).length;
  let timesteps: number[];
  if (c.timestep_spacing === 'linspace')
    timesteps = reversed(linspace(0, last - 1, n + 1).map(roundHalfEven)).slice(0, n);
  else if (c.timestep_spacing === 'leading') {
    const ratio = Math.floor(last / (n + 1));
    timesteps = reversed(range(n + 1).map((i) => i * ratio))
      .slice(0, n)
      .map((t) => t + c.steps_offset);
  } else timesteps = arange(last, 0, -T / n).map((t) => roundHalfEven(t) - 1);
  let sigmas = timesteps.map((t) => interpOnIndex(t, train.sigmas));
  if (karras) {
    // Unlike Euler, DPM-Solver spans the whole training range.
    sigmas = karrasSigmas(n, train.sigmas[0]!, train.sigmas[T - 1]!);
    const ts = sigmas.map((s) => sigmaToTimestep(s, train.logSigmas));
    timesteps =
      c.beta_schedule === 'squaredcos_cap_v2' ? ts.map(Math.trunc) : ts.map(roundHalfEven);
  }
  sigmas = f32(sigmas);
  const final = c.final_sigmas_type === 'sigma_min' ? train.sigmas[0]! : 0;
  const targets = withNext(sigmas, final);
  return {
    timesteps,
    sigmas,
    targets,
    initNoiseSigma: vpInitNoise(sigmas[0]!),
    outputScale: vpOutput(targets),
  };
}

/** DDIMScheduler: each step goes to t − ⌊T/n⌋, whatever the spacing put next. */
export function ddimSchedule({ c, train, n }: Inputs): Schedule {
  const T = c.num_train_timesteps;
  let timesteps: number[];
  if (c.timestep_spacing === 'linspace')
    timesteps = reversed(linspace(0, T - 1, n).map(roundHalfEven));
  else if (c.timestep_spacing === 'leading') {
    const ratio = Math.floor(T / n);
    timesteps = reversed(range(n).map((i) => i * ratio)).map((t) => t + c.steps_offset);
  } else timesteps = arange(T, 0, -T / n).map((t) => roundHalfEven(t) - 1);
  const sigmaAt = (t: number) => train.sigmas[t]!;
  const final = c.set_alpha_to_one ? 0 : sigmaAt(0);
  const sigmas = timesteps.map(sigmaAt);
  const targets = timesteps.map((t) => {
    const prev = t - Math.floor(T / n);
    return prev >= 0 ? sigmaAt(prev) : final;
  });
  return {
    timesteps,
    sigmas,
    targets,
    initNoiseSigma: vpInitNoise(sigmas[0]!),
    outputScale: vpOutput(targets),
  };
}

/**
 * LCMScheduler: n timesteps picked evenly from the distillation grid (`original_inference_steps`
 * points k·i − 1). Strength shortens that grid rather than skipping steps, so it is an input here.
 */
export function lcmSchedule({ c, train, n }: Inputs, strength: number): Schedule {
  const T = c.num_train_timesteps;
  const k = Math.floor(T / c.original_inference_steps);
  const gridSize = Math.floor(c.original_inference_steps * strength);
  const grid = reversed(range(gridSize).map((i) => (i + 1) * k - 1));
  const timesteps = linspace(0, gridSize, n, false).map((i) => grid[Math.floor(i)]!);
  const sigmas = timesteps.map((t) => train.sigmas[t]!);
  return {
    timesteps,
    sigmas,
    targets: withNext(sigmas, 0),
    initNoiseSigma: vpInitNoise(sigmas[0]!),
    // The last LCM step returns the consistency output itself, a clean latent.
    outputScale: 1,
  };
}
