import { describe, expect, it } from 'vitest';
import { karrasSigmas } from './karras';
import { samplingPlan } from './sampling-plan';
import { resolveSchedulerConfig, type SchedulerConfig } from './scheduler-config';
import { sigmaToTimestep, trainingSchedule } from './training-schedule';

// runwayml/stable-diffusion-v1-5 scheduler/scheduler_config.json, as shipped.
const SD15: SchedulerConfig = {
  _class_name: 'PNDMScheduler',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  num_train_timesteps: 1000,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  trained_betas: null,
  clip_sample: false,
};
// stabilityai/sd-turbo: Euler with trailing spacing.
const TURBO: SchedulerConfig = {
  _class_name: 'EulerDiscreteScheduler',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  num_train_timesteps: 1000,
  prediction_type: 'epsilon',
  steps_offset: 1,
  timestep_spacing: 'trailing',
  use_karras_sigmas: false,
};

const list = (a: Float64Array) => Array.from(a);
/** SD's training noise levels straight from the definition, in float64. */
function sd15Sigmas(): number[] {
  const a = Math.sqrt(0.00085);
  const b = Math.sqrt(0.012);
  let alphaBar = 1;
  return Array.from({ length: 1000 }, (_, t) => {
    alphaBar *= 1 - (a + ((b - a) * t) / 999) ** 2;
    return Math.sqrt((1 - alphaBar) / alphaBar);
  });
}

describe('training schedule', () => {
  const train = trainingSchedule(resolveSchedulerConfig(SD15, 'euler'));

  it('gives σ_t = sqrt((1 − ᾱ_t)/ᾱ_t) for the scaled-linear betas, to float32 precision', () => {
    const exact = sd15Sigmas();
    const worst = Math.max(...exact.map((s, t) => Math.abs(train.sigmas[t]! - s) / s));
    expect(worst).toBeLessThan(5e-5);
  });

  it("spans k-diffusion's published SD range, 0.0292 to 14.6146", () => {
    expect(train.sigmas[0]).toBeCloseTo(0.0292, 4);
    expect(train.sigmas[999]).toBeCloseTo(14.6146, 3);
  });

  it('maps a training level to its timestep and a log-midpoint halfway', () => {
    expect(sigmaToTimestep(train.sigmas[400]!, train.logSigmas)).toBeCloseTo(400, 9);
    const mid = Math.exp((train.logSigmas[600]! + train.logSigmas[601]!) / 2);
    expect(sigmaToTimestep(mid, train.logSigmas)).toBeCloseTo(600.5, 9);
    expect(sigmaToTimestep(100, train.logSigmas)).toBe(999);
    expect(sigmaToTimestep(1e-4, train.logSigmas)).toBe(0);
  });
});

describe('timesteps, as diffusers sets them', () => {
  it('DDIM on SD 1.5 (its default spacing, leading, with steps_offset 1): 981, 961, …, 1', () => {
    const plan = samplingPlan({ scheduler: 'ddim', karras: false, steps: 50, config: SD15 });
    expect(list(plan.timesteps)).toEqual(Array.from({ length: 50 }, (_, i) => 981 - 20 * i));
    // Each step goes to t − 20; the last, below 0, to ᾱ_0 because set_alpha_to_one is false.
    const train = trainingSchedule(plan.config);
    expect(plan.targets[0]).toBe(train.sigmas[961]);
    expect(plan.targets[49]).toBe(train.sigmas[0]);
  });

  it('Euler on SD 1.5 (its default spacing, linspace): 999·k/19 for 20 steps, σ interpolated', () => {
    const plan = samplingPlan({ scheduler: 'euler', karras: false, steps: 20, config: SD15 });
    const expected = Array.from({ length: 20 }, (_, i) => (999 * (19 - i)) / 19);
    list(plan.timesteps).forEach((t, i) => expect(t).toBeCloseTo(expected[i]!, 3));
    const train = trainingSchedule(plan.config);
    const t = plan.timesteps[1]!;
    const j = Math.floor(t);
    const interpolated = train.sigmas[j]! + (t - j) * (train.sigmas[j + 1]! - train.sigmas[j]!);
    expect(plan.sigmas[1]).toBe(Math.fround(interpolated));
    expect(plan.targets[19]).toBe(0);
    // linspace starts from σ_max·ε.
    expect(plan.initNoiseSigma).toBe(plan.sigmas[0]);
  });

  it('DPM-Solver++ on SD 1.5: n + 1 grid points, last dropped, ties rounded to even', () => {
    const at = (steps: number) =>
      list(samplingPlan({ scheduler: 'dpmpp-2m', karras: false, steps, config: SD15 }).timesteps);
    expect(at(20)).toEqual([
      999, 949, 899, 849, 799, 749, 699, 649, 599, 549, 500, 450, 400, 350, 300, 250, 200, 150, 100,
      50,
    ]);
    // linspace(0, 999, 7) = 0, 166.5, 333, 499.5, 666, 832.5, 999: numpy rounds 166.5 → 166, 832.5 → 832.
    expect(at(6)).toEqual([999, 832, 666, 500, 333, 166]);
    // VP schedulers start from unit-variance noise: sqrt(1 + σ₀²) in k-diffusion units.
    const plan = samplingPlan({ scheduler: 'dpmpp-2m', karras: false, steps: 20, config: SD15 });
    expect(plan.initNoiseSigma).toBeCloseTo(Math.sqrt(1 + plan.sigmas[0]! ** 2), 12);
  });

  it('leading spacing with steps_offset, for Euler (n points) and DPM-Solver (n + 1, last dropped)', () => {
    const config = { ...SD15, timestep_spacing: 'leading' as const };
    const euler = samplingPlan({ scheduler: 'euler', karras: false, steps: 10, config });
    expect(list(euler.timesteps)).toEqual([901, 801, 701, 601, 501, 401, 301, 201, 101, 1]);
    expect(euler.initNoiseSigma).toBeCloseTo(Math.sqrt(euler.sigmas[0]! ** 2 + 1), 12);
    const dpm = samplingPlan({ scheduler: 'dpmpp-2m', karras: false, steps: 10, config });
    // ⌊1000/11⌋ = 90: 900, 810, …, 90, plus the offset.
    expect(list(dpm.timesteps)).toEqual([901, 811, 721, 631, 541, 451, 361, 271, 181, 91]);
  });

  it('trailing spacing (SD-Turbo): one step at 999, four at 999/749/499/249, three at 999/666/332', () => {
    const at = (steps: number) =>
      list(samplingPlan({ scheduler: 'euler', karras: false, steps, config: TURBO }).timesteps);
    expect(at(1)).toEqual([999]);
    expect(at(4)).toEqual([999, 749, 499, 249]);
    // arange(1000, 0, −333.3̅) = 1000, 666.6̅, 333.3̅ → rounded, minus one.
    expect(at(3)).toEqual([999, 666, 332]);
    const one = samplingPlan({ scheduler: 'euler', karras: false, steps: 1, config: TURBO });
    expect(one.initNoiseSigma).toBe(one.sigmas[0]);
  });

  it('LCM: evenly picked from the 50-point distillation grid, 999/759/499/259 for four steps', () => {
    const at = (steps: number, strength?: number) =>
      list(
        samplingPlan({ scheduler: 'lcm', karras: false, steps, config: {}, strength }).timesteps,
      );
    expect(at(4)).toEqual([999, 759, 499, 259]);
    expect(at(2)).toEqual([999, 499]);
    // Strength 0.5 halves the grid (19 … 499) and still runs every step.
    expect(at(4, 0.5)).toEqual([499, 379, 259, 139]);
  });

  it('Karras with DPM-Solver spans the whole training range and rounds timesteps', () => {
    const plan = samplingPlan({ scheduler: 'dpmpp-2m', karras: true, steps: 28, config: SD15 });
    const train = trainingSchedule(plan.config);
    const expected = karrasSigmas(28, train.sigmas[0]!, train.sigmas[999]!).map(Math.fround);
    expect(list(plan.sigmas)).toEqual(expected);
    expect(list(plan.timesteps)).toEqual(
      expected.map((s) => Math.round(sigmaToTimestep(s, train.logSigmas))),
    );
    expect(plan.timesteps[0]).toBe(999);
    // First step first order (no history), last first order (final σ is 0), 2M between.
    expect(Array.from(plan.orders)).toEqual([1, ...Array<number>(26).fill(2), 1]);
  });

  it("Karras with Euler spans the spaced levels' range and keeps fractional timesteps", () => {
    const plan = samplingPlan({
      scheduler: 'euler',
      karras: true,
      steps: 10,
      config: { ...SD15, timestep_spacing: 'leading' },
    });
    const train = trainingSchedule(plan.config);
    // leading, 10 steps: levels at t = 901 … 1.
    expect(plan.sigmas[0]).toBe(Math.fround(train.sigmas[901]!));
    expect(plan.sigmas[9]).toBe(Math.fround(train.sigmas[1]!));
    expect(plan.timesteps[4]! % 1).not.toBe(0);
  });
});

describe('img2img start', () => {
  it('starts at t_start = steps − ⌊steps·strength⌋ of the full schedule', () => {
    const full = samplingPlan({ scheduler: 'ddim', karras: false, steps: 50, config: SD15 });
    const plan = samplingPlan({
      scheduler: 'ddim',
      karras: false,
      steps: 50,
      config: SD15,
      strength: 0.75,
    });
    expect(plan.startIndex).toBe(13);
    expect(plan.steps).toBe(37);
    expect(plan.timesteps[0]).toBe(981 - 20 * 13);
    expect(list(plan.sigmas)).toEqual(list(full.sigmas).slice(13));
  });

  it('restarts DPM-Solver at first order wherever the run begins', () => {
    const plan = samplingPlan({
      scheduler: 'dpmpp-2m',
      karras: false,
      steps: 20,
      config: SD15,
      strength: 0.5,
    });
    expect(plan.startIndex).toBe(10);
    expect(plan.orders[0]).toBe(1);
    expect(plan.orders[1]).toBe(2);
  });

  it('runs no step at all when ⌊steps·strength⌋ is 0', () => {
    expect(
      samplingPlan({ scheduler: 'euler', karras: false, steps: 20, config: SD15, strength: 0.04 })
        .steps,
    ).toBe(0);
  });
});

describe('bad combinations name the field', () => {
  it.each([
    [{ scheduler: 'ddim', karras: true, steps: 20 }, 'karras'],
    [{ scheduler: 'lcm', karras: true, steps: 4 }, 'karras'],
    [{ scheduler: 'lcm', karras: false, steps: 60 }, 'steps'],
    [{ scheduler: 'lcm', karras: false, steps: 8, strength: 0.1 }, 'steps'],
    [{ scheduler: 'euler', karras: false, steps: 0 }, 'steps'],
    [{ scheduler: 'euler', karras: false, steps: 1001 }, 'steps'],
    [{ scheduler: 'euler', karras: false, steps: 10, strength: 1.5 }, 'strength'],
  ] as const)('%j → %s', (options, field) => {
    expect(() => samplingPlan({ config: SD15, ...options })).toThrow(
      expect.objectContaining({
        code: 'INVALID_PARAMS',
        fields: [expect.objectContaining({ path: field })],
      }),
    );
  });
});
