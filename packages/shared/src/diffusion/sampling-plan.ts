import { LoupeError } from '../api/loupe-error';
import {
  resolveSchedulerConfig,
  type ResolvedSchedulerConfig,
  type SchedulerConfig,
} from './scheduler-config';
import {
  ddimSchedule,
  dpmSolverSchedule,
  eulerSchedule,
  lcmSchedule,
  type Schedule,
} from './scheduler-timesteps';
import { SCHEDULERS, type SchedulerId } from './schedulers';
import { trainingSchedule } from './training-schedule';

export interface SamplingPlanOptions {
  scheduler: SchedulerId;
  karras: boolean;
  /** Denoising steps for a full-strength run (diffusers' num_inference_steps). */
  steps: number;
  /** The model folder's scheduler_config.json, parsed. */
  config: SchedulerConfig;
  /** img2img: 1 runs the whole schedule, lower values start later on it. Default 1. */
  strength?: number | undefined;
}

/**
 * The steps one run takes, fixed before it starts: what `sample` executes and what the engine
 * reads to feed the UNet. Arrays hold the steps that run, so index i is `denoise`'s stepIndex.
 */
export interface SamplingPlan {
  readonly scheduler: SchedulerId;
  readonly config: ResolvedSchedulerConfig;
  /** Steps that run: fewer than `options.steps` when strength < 1 (except LCM, which reschedules). */
  readonly steps: number;
  /** Where in the full schedule the run starts: diffusers' img2img t_start. */
  readonly startIndex: number;
  /** The timestep the UNet gets at each step (fractional for Euler; integers otherwise). */
  readonly timesteps: Float64Array;
  /** The noise level of the latent each step starts from. */
  readonly sigmas: Float64Array;
  /** The noise level each step moves the latent to; the last is 0 unless the config keeps σ_min. */
  readonly targets: Float64Array;
  /** DPM-Solver++: 1 where a step falls back to first order (the first, and diffusers' final rules). */
  readonly orders: Uint8Array;
  /** Std of the pure-noise start latent, in k-diffusion units. */
  readonly initNoiseSigma: number;
  /** `sample` multiplies the last latent by this to give what diffusers decodes (see `Schedule`). */
  readonly outputScale: number;
}

const invalid = (field: string, message: string) =>
  new LoupeError('INVALID_PARAMS', `${field}: ${message}`, [{ path: field, message }]);

function fullSchedule(
  o: SamplingPlanOptions,
  c: ResolvedSchedulerConfig,
  strength: number,
): Schedule {
  const inputs = { c, train: trainingSchedule(c), n: o.steps };
  switch (o.scheduler) {
    case 'euler':
    case 'euler-ancestral':
      return eulerSchedule(inputs, o.karras);
    case 'dpmpp-2m':
      return dpmSolverSchedule(inputs, o.karras);
    case 'ddim':
      return ddimSchedule(inputs);
    case 'lcm':
      return lcmSchedule(inputs, strength);
  }
}

function checkOptions(o: SamplingPlanOptions, c: ResolvedSchedulerConfig, strength: number): void {
  const T = c.num_train_timesteps;
  if (!Number.isInteger(o.steps) || o.steps < 1 || o.steps > T)
    throw invalid('steps', `must be a whole number from 1 to ${T} (the model's training steps)`);
  if (!(strength >= 0 && strength <= 1)) throw invalid('strength', 'must be from 0 to 1');
  if (o.karras && !SCHEDULERS[o.scheduler].karras)
    throw invalid('karras', `${SCHEDULERS[o.scheduler].title} has no Karras sigmas`);
  if (o.scheduler !== 'lcm') return;
  const grid = Math.floor(c.original_inference_steps * strength);
  if (o.steps > c.original_inference_steps)
    throw invalid(
      'steps',
      `LCM takes at most original_inference_steps (${c.original_inference_steps})`,
    );
  if (o.steps > grid)
    throw invalid('steps', `LCM at strength ${strength} takes at most ${grid} steps`);
}

/** DPM-Solver++ 2M's order at each step of the full schedule, by diffusers' lower-order rules. */
function dpmOrders(c: ResolvedSchedulerConfig, n: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const final =
      i === n - 1 &&
      (c.euler_at_final || (c.lower_order_final && n < 15) || c.final_sigmas_type === 'zero');
    return final ? 1 : 2;
  });
}

/**
 * Plans a run of one scheduler on one model's config, following its diffusers class: the timestep
 * grid for the config's spacing and steps offset, Karras levels if asked, and img2img's start
 * (t_start = steps − ⌊steps·strength⌋). Throws INVALID_PARAMS naming the field at fault.
 *
 * @example samplingPlan({ scheduler: 'ddim', karras: false, steps: 50, config: sd15 }).timesteps
 *   // [981, 961, …, 1]
 */
export function samplingPlan(o: SamplingPlanOptions): SamplingPlan {
  const c = resolveSchedulerConfig(o.config, o.scheduler);
  const strength = o.strength ?? 1;
  checkOptions(o, c, strength);
  const s = fullSchedule(o, c, strength);
  // DDIM's leading grid plus a large steps_offset can index past the training schedule.
  if (s.sigmas.some((x) => !(x > 0 && x < Infinity)))
    throw invalid(
      'steps',
      `${o.steps} steps run past the model's training timesteps with this config`,
    );
  const start =
    o.scheduler === 'lcm' ? 0 : o.steps - Math.min(Math.floor(o.steps * strength), o.steps);
  const orders = o.scheduler === 'dpmpp-2m' ? dpmOrders(c, o.steps) : s.sigmas.map(() => 1);
  // Whatever step a run starts on, a multistep solver has no history there yet.
  if (start < o.steps) orders[start] = 1;
  return {
    scheduler: o.scheduler,
    config: c,
    steps: o.steps - start,
    startIndex: start,
    timesteps: Float64Array.from(s.timesteps.slice(start)),
    sigmas: Float64Array.from(s.sigmas.slice(start)),
    targets: Float64Array.from(s.targets.slice(start)),
    orders: Uint8Array.from(orders.slice(start)),
    initNoiseSigma: s.initNoiseSigma,
    outputScale: s.outputScale,
  };
}
