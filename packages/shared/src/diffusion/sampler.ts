import { LoupeError } from '../api/loupe-error';
import type { AbortSignalLike } from '../engine/model-runner';
import { latentNoise, NOISE_STREAMS } from './noise';
import { samplingPlan, type SamplingPlan, type SamplingPlanOptions } from './sampling-plan';
import {
  ddimStep,
  dpmSolverStep,
  eulerAncestralStep,
  eulerStep,
  lcmDenoised,
  lcmStep,
  type DpmHistory,
} from './solver-steps';
import type { Denoiser } from './unet-denoiser';

/** Reported after each step, for progress and previews. */
export interface SampleStep {
  /** Steps done, 1 … total. */
  step: number;
  total: number;
  /** The noise level the step started from. */
  sigma: number;
  /** The step's prediction of the clean latent: what a preview decodes. */
  denoised: Float32Array;
}

export interface SampleOptions extends SamplingPlanOptions {
  /** 0 … 2³² − 1. Batch item b of `shape` uses seed + b (see `latentNoise`). */
  seed: number;
  /** The latent's dims, [batch, channels, height, width], e.g. [1, 4, 64, 64]. */
  shape: readonly number[];
  /** img2img / inpainting: the clean init latent (already scaled by the VAE's scaling factor). */
  init?: Float32Array | undefined;
  /**
   * Inpainting on a plain UNet: 1 where the model paints, 0 where the init stays, per latent value
   * or per latent pixel ([batch, 1, height, width]). Before every step after the first, the kept
   * part is reset to the init noised to that step's level, as diffusers' inpaint pipeline does.
   */
  mask?: Float32Array | undefined;
  signal?: AbortSignalLike | undefined;
  onStep?: ((s: SampleStep) => void) | undefined;
}

const invalid = (field: string, message: string) =>
  new LoupeError('INVALID_PARAMS', `${field}: ${message}`, [{ path: field, message }]);

/**
 * Runs a diffusion sampler in k-diffusion form: the latent starts at x = σ₀·ε (or, with `init`,
 * init + σ_start·ε at diffusers' img2img start step), and each step asks `denoise` for x₀ at the
 * current σ and moves x to the next level by the scheduler's rule. Deterministic for a seed:
 * every draw comes from `latentNoise`. Checks `signal` before each step (CANCELLED).
 *
 * With strength so low that no step runs (⌊steps·strength⌋ = 0) the result is the init itself.
 *
 * @example await sample({ scheduler: 'dpmpp-2m', karras: true, steps: 28, config, seed: 1,
 *   shape: [1, 4, 64, 64] }, unetDenoiser(plan, unet))
 */
export async function sample(options: SampleOptions, denoise: Denoiser): Promise<Float32Array> {
  const plan = samplingPlan(options);
  const { init, mask, shape, seed } = options;
  const size = shape.reduce((a, b) => a * b, 1);
  checkInputs(options, size);
  const noise = latentNoise(seed, NOISE_STREAMS.latent, shape);
  if (plan.steps === 0) return init!.slice();
  const keep = mask && init ? expandMask(mask, shape) : null;
  let x = startLatent(plan, noise, options);
  let history: DpmHistory | null = null;
  for (let i = 0; i < plan.steps; i++) {
    if (options.signal?.aborted) throw new LoupeError('CANCELLED');
    const sigma = plan.sigmas[i]!;
    if (i > 0) {
      // DDIM can step to a level other than the next step's; carry the VP latent across as diffusers does.
      const landed = plan.targets[i - 1]!;
      if (landed !== sigma)
        x = x.map((v) => v * Math.sqrt((1 + sigma * sigma) / (1 + landed * landed)));
      if (keep)
        x = x.map((v, j) => keep[j]! * v + (1 - keep[j]!) * (init![j]! + sigma * noise[j]!));
    }
    const d = await denoise(x, sigma, i);
    if (d.length !== size)
      throw new LoupeError(
        'INFERENCE_FAILED',
        `The denoiser gave ${d.length} values for a latent of ${size}`,
      );
    const next = stepOnce(plan, i, x, d, history, options);
    history = { denoised: d, sigma };
    x = next.x;
    options.onStep?.({ step: i + 1, total: plan.steps, sigma, denoised: next.denoised });
  }
  return plan.outputScale === 1 ? x : x.map((v) => v * plan.outputScale);
}

function stepOnce(
  plan: SamplingPlan,
  i: number,
  x: Float32Array,
  d: Float32Array,
  history: DpmHistory | null,
  o: SampleOptions,
): { x: Float32Array; denoised: Float32Array } {
  const sigma = plan.sigmas[i]!;
  const next = plan.targets[i]!;
  const c = plan.config;
  const clipRange = c.clip_sample ? c.clip_sample_range : null;
  const freshNoise = () => latentNoise(o.seed, NOISE_STREAMS.step(i), o.shape);
  switch (plan.scheduler) {
    case 'euler':
      return { x: eulerStep(x, d, sigma, next), denoised: d };
    case 'euler-ancestral':
      return { x: eulerAncestralStep(x, d, sigma, next, freshNoise()), denoised: d };
    case 'dpmpp-2m': {
      const previous = plan.orders[i] === 2 ? history : null;
      return { x: dpmSolverStep(x, d, sigma, next, previous, c.solver_type), denoised: d };
    }
    case 'ddim':
      return { x: ddimStep(x, d, sigma, next, clipRange), denoised: d };
    case 'lcm': {
      const denoised = lcmDenoised(x, d, sigma, plan.timesteps[i]!, c.timestep_scaling, clipRange);
      const last = i === plan.steps - 1;
      return { x: lcmStep(denoised, next, last ? null : freshNoise()), denoised };
    }
  }
}

function startLatent(plan: SamplingPlan, noise: Float32Array, o: SampleOptions): Float32Array {
  const { init, mask } = o;
  // diffusers' inpainting starts a full-strength run from pure noise; img2img always noises the init.
  const fromNoise = !init || (mask !== undefined && (o.strength ?? 1) === 1);
  if (fromNoise) return noise.map((n) => n * plan.initNoiseSigma);
  const sigma = plan.sigmas[0]!;
  return init.map((v, j) => v + sigma * noise[j]!);
}

function checkInputs(o: SampleOptions, size: number): void {
  if (o.shape.length !== 4 || !o.shape.every((d) => Number.isInteger(d) && d > 0))
    throw invalid('shape', 'must be [batch, channels, height, width] of positive whole numbers');
  if (o.init && o.init.length !== size)
    throw invalid('init', `has ${o.init.length} values for a latent of ${size}`);
  if ((o.strength ?? 1) < 1 && !o.init) throw invalid('strength', 'below 1 needs an init latent');
  if (o.mask && !o.init) throw invalid('mask', 'needs an init latent');
  const [batch, , height, width] = o.shape as [number, number, number, number];
  if (o.mask && o.mask.length !== size && o.mask.length !== batch * height * width)
    throw invalid(
      'mask',
      `has ${o.mask.length} values; expected ${size} or ${batch * height * width} (one per latent pixel)`,
    );
}

/** A per-pixel mask ([batch, 1, h, w]) repeated over the latent's channels. */
function expandMask(mask: Float32Array, shape: readonly number[]): Float32Array {
  const [batch, channels, height, width] = shape as [number, number, number, number];
  if (mask.length === batch * channels * height * width) return mask;
  const plane = height * width;
  const out = new Float32Array(batch * channels * plane);
  for (let b = 0; b < batch; b++)
    for (let ch = 0; ch < channels; ch++)
      out.set(mask.subarray(b * plane, (b + 1) * plane), (b * channels + ch) * plane);
  return out;
}
