import { describe, expect, it } from 'vitest';
import { latentNoise, NOISE_STREAMS } from './noise';
import { sample, type SampleOptions, type SampleStep } from './sampler';
import { samplingPlan, type SamplingPlan } from './sampling-plan';
import type { SchedulerConfig } from './scheduler-config';
import { SCHEDULER_IDS, SCHEDULERS, type SchedulerId } from './schedulers';
import { trainingSchedule } from './training-schedule';

const SD15: SchedulerConfig = {
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  set_alpha_to_one: false,
  steps_offset: 1,
  clip_sample: false,
};
const SHAPE = [1, 4, 16, 16] as const;
const SIZE = 4 * 16 * 16;

/** Data x₀ ~ N(μ_j, s_j²) per element, a different Gaussian for each. */
const MU = Float64Array.from({ length: SIZE }, (_, j) => 0.8 * Math.sin(j));
const S = Float64Array.from({ length: SIZE }, (_, j) => 0.5 + (j % 11) / 10);
/** Its exact denoiser E[x₀ | x₀ + σ·ε = x] = μ + s²/(s² + σ²)·(x − μ). */
const gaussianX0 = (x: ArrayLike<number>, sigma: number) =>
  Float32Array.from(x, (v, j) => MU[j]! + (S[j]! ** 2 / (S[j]! ** 2 + sigma ** 2)) * (v - MU[j]!));

function options(scheduler: SchedulerId, extra: Partial<SampleOptions> = {}): SampleOptions {
  return { scheduler, karras: false, steps: 10, config: SD15, seed: 3, shape: SHAPE, ...extra };
}

/** Runs the sampler on the Gaussian denoiser and reports where the exact ODE from its start ends. */
async function gaussianRun(o: SampleOptions) {
  const calls: { x: Float32Array; sigma: number }[] = [];
  const out = await sample(o, async (x, sigma) => {
    calls.push({ x: x.slice(), sigma });
    return gaussianX0(x, sigma);
  });
  // The probability-flow ODE is linear here: (x − μ) scales with sqrt(s² + σ²) all the way to σ = 0.
  const { x: start, sigma: startSigma } = calls[0]!;
  const exact = Float64Array.from(
    start,
    (v, j) => MU[j]! + ((v - MU[j]!) * S[j]!) / Math.sqrt(S[j]! ** 2 + startSigma ** 2),
  );
  let err = 0;
  let norm = 0;
  out.forEach((v, j) => {
    err += (v - exact[j]!) ** 2;
    norm += (exact[j]! - MU[j]!) ** 2;
  });
  return { out, relativeError: Math.sqrt(err / norm) };
}

describe('a denoiser that always answers the same x₀', () => {
  const x0 = Float32Array.from({ length: SIZE }, (_, j) => Math.cos(j) * 0.9);
  const cases = SCHEDULER_IDS.flatMap((id) =>
    SCHEDULERS[id].karras
      ? [
          [id, false],
          [id, true],
        ]
      : [[id, false]],
  ) as [SchedulerId, boolean][];

  it.each(cases)('%s (karras %s) ends exactly there', async (scheduler, karras) => {
    // set_alpha_to_one: DDIM's last step then goes to ᾱ = 1 (σ = 0) rather than ᾱ_0.
    const o = options(scheduler, { karras, config: { ...SD15, set_alpha_to_one: true } });
    const inputs: Float32Array[] = [];
    const out = await sample(o, async (x) => (inputs.push(x.slice()), x0));
    if (scheduler !== 'lcm') return expect(out).toEqual(x0);
    // LCM ends on its consistency output c_out·x₀ + c_skip·x_vp (c_skip ≈ 3e-7 at t = 99): x₀ but for that.
    const plan = samplingPlan(o);
    const t = plan.timesteps[plan.steps - 1]! * 10;
    const sigma = plan.sigmas[plan.steps - 1]!;
    const last = inputs[inputs.length - 1]!;
    const [cSkip, cOut] = [0.25 / (t * t + 0.25), t / Math.sqrt(t * t + 0.25)];
    expect(cSkip).toBeLessThan(1e-6);
    expect(out).toEqual(
      x0.map((d, j) => cOut * d + (cSkip * last[j]!) / Math.sqrt(1 + sigma * sigma)),
    );
  });

  it('DDIM with set_alpha_to_one false stops at ᾱ_0 and hands over that VP latent, as diffusers does', async () => {
    const calls: { x: Float32Array; sigma: number }[] = [];
    const out = await sample(options('ddim'), async (x, sigma) => {
      calls.push({ x: x.slice(), sigma });
      return x0;
    });
    const sigma0 = trainingSchedule(samplingPlan(options('ddim')).config).sigmas[0]!;
    const { x, sigma } = calls[calls.length - 1]!;
    // x_prev = sqrt(ᾱ_0)·x₀ + sqrt(1 − ᾱ_0)·ε̂, with ε̂ = (x − x₀)/σ.
    const expected = x0.map(
      (d, j) => (d + sigma0 * ((x[j]! - d) / sigma)) / Math.sqrt(1 + sigma0 * sigma0),
    );
    out.forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 6));
  });
});

describe('Gaussian data with its closed-form denoiser', () => {
  it.each(['euler', 'dpmpp-2m', 'ddim'] as const)(
    '%s ends near the exact ODE solution at 50 steps',
    async (scheduler) => {
      const { relativeError } = await gaussianRun(options(scheduler, { steps: 50 }));
      expect(relativeError).toBeLessThan(0.04);
    },
  );

  it('DPM-Solver++ 2M beats Euler at equal steps, on diffusers defaults and on shared Karras levels', async () => {
    for (const karras of [false, true]) {
      const euler = await gaussianRun(options('euler', { karras }));
      const dpm = await gaussianRun(options('dpmpp-2m', { karras }));
      expect(dpm.relativeError).toBeLessThan(0.6 * euler.relativeError);
    }
    // With linspace spacing both span σ(0) … σ(999), so the Karras levels are the same: only the solver differs.
    const euler = samplingPlan(options('euler', { karras: true }));
    const dpm = samplingPlan(options('dpmpp-2m', { karras: true }));
    expect(Array.from(dpm.sigmas)).toEqual(Array.from(euler.sigmas));
    const converged = await gaussianRun(options('dpmpp-2m', { karras: true, steps: 50 }));
    expect(converged.relativeError).toBeLessThan(0.005);
  });

  /**
   * A stochastic step on this data is affine with Gaussian noise, x' = A·x + B + c·n, so the output
   * of each element is exactly normal with a mean and variance that follow from the plan.
   */
  function predictedMoments(plan: SamplingPlan, j: number) {
    const [mu, s2] = [MU[j]!, S[j]! ** 2];
    let [mean, variance] = [0, plan.initNoiseSigma ** 2];
    for (let i = 0; i < plan.steps; i++) {
      const [sigma, next] = [plan.sigmas[i]!, plan.targets[i]!];
      const a = s2 / (s2 + sigma * sigma);
      let A: number, B: number, c: number;
      if (plan.scheduler === 'euler-ancestral') {
        const up = Math.sqrt((next ** 2 * (sigma ** 2 - next ** 2)) / sigma ** 2);
        const down = Math.sqrt(next ** 2 - up ** 2);
        [A, B, c] = [a + (down / sigma) * (1 - a), mu * (1 - a) * (1 - down / sigma), up];
      } else {
        const t = plan.timesteps[i]! * 10;
        const [cSkip, cOut] = [0.25 / (t * t + 0.25), t / Math.sqrt(t * t + 0.25)];
        const last = i === plan.steps - 1;
        [A, B, c] = [
          cOut * a + cSkip / Math.sqrt(1 + sigma * sigma),
          cOut * mu * (1 - a),
          last ? 0 : next,
        ];
      }
      [mean, variance] = [A * mean + B, A * A * variance + c * c];
    }
    return { mean, variance };
  }

  it.each(['euler-ancestral', 'lcm'] as const)(
    '%s draws outputs with the predicted mean and variance',
    async (scheduler) => {
      // One Gaussian for every element, so the 16 384 outputs are independent draws of one normal.
      const shape = [1, 4, 64, 64];
      const n = 4 * 64 * 64;
      const o = { ...options(scheduler, { steps: scheduler === 'lcm' ? 4 : 20, shape }) };
      const out = await sample(o, async (x, sigma) =>
        Float32Array.from(
          x,
          (v) => MU[0]! + (S[0]! ** 2 / (S[0]! ** 2 + sigma ** 2)) * (v - MU[0]!),
        ),
      );
      const { mean, variance } = predictedMoments(samplingPlan(o), 0);
      const m = out.reduce((a, v) => a + v, 0) / n;
      const v = out.reduce((a, x) => a + (x - m) ** 2, 0) / n;
      expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(variance / n));
      expect(Math.abs(v - variance)).toBeLessThan(4 * variance * Math.sqrt(2 / n));
    },
  );
});

describe("diffusers' own update rules, written in its variance-preserving form", () => {
  const ac = trainingSchedule(samplingPlan(options('ddim')).config).alphasCumprod;
  const toVe = (x: Float32Array | Float64Array, alphaBar: number) =>
    Float64Array.from(x, (v) => v / Math.sqrt(alphaBar));

  async function ours(o: SampleOptions) {
    return sample(o, async (x, sigma) => gaussianX0(x, sigma));
  }
  function expectClose(actual: Float32Array, expected: Float64Array) {
    const worst = Math.max(
      ...Array.from(actual, (v, j) => Math.abs(v - expected[j]!) / (1 + Math.abs(expected[j]!))),
    );
    expect(worst).toBeLessThan(2e-5);
  }

  it('DDIM (η = 0), including linspace, where a step lands on t − ⌊T/n⌋ rather than the next timestep', async () => {
    const o = options('ddim', { steps: 7, config: { ...SD15, timestep_spacing: 'linspace' } });
    const plan = samplingPlan(o);
    let x = Float64Array.from(latentNoise(o.seed, NOISE_STREAMS.latent, SHAPE));
    for (const t of plan.timesteps) {
      const prev = t - Math.floor(1000 / 7);
      const [at, ap] = [ac[t]!, prev >= 0 ? ac[prev]! : ac[0]!];
      const d = gaussianX0(toVe(x, at), Math.sqrt((1 - at) / at));
      const eps = x.map((v, j) => (v - Math.sqrt(at) * d[j]!) / Math.sqrt(1 - at));
      x = x.map((_, j) => Math.sqrt(ap) * d[j]! + Math.sqrt(1 - ap) * eps[j]!);
    }
    expectClose(await ours(o), x);
  });

  it('DPM-Solver++ 2M (midpoint), with its first- and last-step fallbacks', async () => {
    for (const karras of [false, true]) {
      const o = options('dpmpp-2m', { karras, steps: 12 });
      const plan = samplingPlan(o);
      const alpha = (s: number) => 1 / Math.sqrt(1 + s * s);
      const lambda = (s: number) => Math.log(alpha(s)) - Math.log(s * alpha(s));
      let x = Float64Array.from(latentNoise(o.seed, NOISE_STREAMS.latent, SHAPE));
      let previous: Float32Array | null = null;
      for (let i = 0; i < plan.steps; i++) {
        const [s0, t] = [plan.sigmas[i]!, plan.targets[i]!];
        const m0 = gaussianX0(
          x.map((v) => v / alpha(s0)),
          s0,
        );
        const h = lambda(t) - lambda(s0);
        const [ratio, coef] = [(t * alpha(t)) / (s0 * alpha(s0)), alpha(t) * (Math.exp(-h) - 1)];
        if (!previous || i === plan.steps - 1) x = x.map((v, j) => ratio * v - coef * m0[j]!);
        else {
          const r0 = (lambda(s0) - lambda(plan.sigmas[i - 1]!)) / h;
          const m1 = previous;
          x = x.map((v, j) => ratio * v - coef * m0[j]! - 0.5 * coef * ((m0[j]! - m1[j]!) / r0));
        }
        previous = m0;
      }
      expectClose(await ours(o), x);
    }
  });

  it('LCM multistep, re-noising with the step streams', async () => {
    const o = options('lcm', { steps: 4 });
    const plan = samplingPlan(o);
    let x = Float64Array.from(latentNoise(o.seed, NOISE_STREAMS.latent, SHAPE));
    plan.timesteps.forEach((t, i) => {
      const at = ac[t]!;
      const d = gaussianX0(toVe(x, at), Math.sqrt((1 - at) / at));
      const scaled = t * 10;
      const [cSkip, cOut] = [0.25 / (scaled ** 2 + 0.25), scaled / Math.sqrt(scaled ** 2 + 0.25)];
      const denoised = x.map((v, j) => cOut * d[j]! + cSkip * v);
      if (i === plan.steps - 1) x = denoised;
      else {
        const ap = ac[plan.timesteps[i + 1]!]!;
        const n = latentNoise(o.seed, NOISE_STREAMS.step(i), SHAPE);
        x = denoised.map((v, j) => Math.sqrt(ap) * v + Math.sqrt(1 - ap) * n[j]!);
      }
    });
    expectClose(await ours(o), x);
  });

  it('Euler ancestral (k-diffusion form: derivative, σ_down, σ_up)', async () => {
    const o = options('euler-ancestral', { steps: 9 });
    const plan = samplingPlan(o);
    let x = Float64Array.from(
      latentNoise(o.seed, NOISE_STREAMS.latent, SHAPE),
      (v) => v * plan.initNoiseSigma,
    );
    for (let i = 0; i < plan.steps; i++) {
      const [from, to] = [plan.sigmas[i]!, plan.targets[i]!];
      const d = gaussianX0(x, from);
      const up = Math.sqrt((to ** 2 * (from ** 2 - to ** 2)) / from ** 2);
      const down = Math.sqrt(to ** 2 - up ** 2);
      const n = latentNoise(o.seed, NOISE_STREAMS.step(i), SHAPE);
      x = x.map((v, j) => v + ((v - d[j]!) / from) * (down - from) + n[j]! * up);
    }
    expectClose(await ours(o), x);
  });
});

describe('img2img, inpainting, batches', () => {
  const init = Float32Array.from({ length: SIZE }, (_, j) => Math.sin(j * 0.3));

  it("starts from the init noised to the start step's level and runs the remaining steps", async () => {
    const o = options('euler', { steps: 20, strength: 0.6, init });
    const plan = samplingPlan(o);
    const noise = latentNoise(o.seed, NOISE_STREAMS.latent, SHAPE);
    const calls: { x: Float32Array; sigma: number; index: number }[] = [];
    await sample(o, async (x, sigma, index) => {
      calls.push({ x: x.slice(), sigma, index });
      return gaussianX0(x, sigma);
    });
    expect(plan.startIndex).toBe(20 - 12);
    expect(calls.map((c) => c.index)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(calls.map((c) => c.sigma)).toEqual(Array.from(plan.sigmas));
    expect(calls[0]!.x).toEqual(init.map((v, j) => v + plan.sigmas[0]! * noise[j]!));
  });

  it('returns the init untouched when strength leaves no step', async () => {
    let called = false;
    const out = await sample(
      options('dpmpp-2m', { steps: 10, strength: 0.05, init }),
      async (x) => ((called = true), x),
    );
    expect(called).toBe(false);
    expect(out).toEqual(init);
  });

  it('keeps the unmasked part on the noised init before every step after the first', async () => {
    const mask = Float32Array.from({ length: 16 * 16 }, (_, p) => (p % 16 < 8 ? 1 : 0));
    const o = options('dpmpp-2m', { steps: 6, strength: 0.7, init, mask });
    const plan = samplingPlan(o);
    const noise = latentNoise(o.seed, NOISE_STREAMS.latent, SHAPE);
    const seen: Float32Array[] = [];
    await sample(o, async (x, sigma) => (seen.push(x.slice()), gaussianX0(x, sigma)));
    for (let i = 1; i < seen.length; i++)
      for (let j = 0; j < SIZE; j++)
        if (j % 16 >= 8)
          expect(seen[i]![j]).toBe(Math.fround(init[j]! + plan.sigmas[i]! * noise[j]!));
    // The masked half is the model's: it moved away from the noised init.
    expect(seen[2]![0]).not.toBe(Math.fround(init[0]! + plan.sigmas[2]! * noise[0]!));
  });

  it('makes image b of a batch the image seed + b makes alone', async () => {
    const denoise = async (x: Float32Array, sigma: number) =>
      Float32Array.from(
        x,
        (v, j) =>
          MU[j % SIZE]! +
          (S[j % SIZE]! ** 2 / (S[j % SIZE]! ** 2 + sigma ** 2)) * (v - MU[j % SIZE]!),
      );
    const batch = await sample(
      options('euler-ancestral', { seed: 50, shape: [2, 4, 16, 16] }),
      denoise,
    );
    const second = await sample(options('euler-ancestral', { seed: 51 }), denoise);
    expect(batch.subarray(SIZE)).toEqual(second);
  });
});

describe('running', () => {
  it('gives the same latent for the same seed, and another for another seed', async () => {
    const run = (seed: number) =>
      sample(options('euler-ancestral', { seed }), async (x, s) => gaussianX0(x, s));
    const [a, b, c] = [await run(11), await run(11), await run(12)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('reports every step with its level and prediction', async () => {
    const steps: SampleStep[] = [];
    const answers: Float32Array[] = [];
    const o = options('dpmpp-2m', { steps: 5, onStep: (s) => steps.push(s) });
    await sample(o, async (x, sigma) => {
      answers.push(gaussianX0(x, sigma));
      return answers[answers.length - 1]!;
    });
    expect(steps.map((s) => [s.step, s.total])).toEqual([1, 2, 3, 4, 5].map((k) => [k, 5]));
    expect(steps.map((s) => s.sigma)).toEqual(Array.from(samplingPlan(o).sigmas));
    steps.forEach((s, i) => expect(s.denoised).toBe(answers[i]));
  });

  it('stops between steps once the signal aborts, with CANCELLED', async () => {
    const signal = { aborted: false };
    let calls = 0;
    const run = sample(options('euler', { signal }), async (x, sigma, i) => {
      calls++;
      if (i === 2) signal.aborted = true;
      return gaussianX0(x, sigma);
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(calls).toBe(3);
  });

  it('refuses inputs that do not fit, naming the field', async () => {
    const denoise = async (x: Float32Array) => x;
    const field = (path: string) =>
      expect.objectContaining({
        code: 'INVALID_PARAMS',
        fields: [expect.objectContaining({ path })],
      });
    await expect(sample(options('euler', { init: new Float32Array(3) }), denoise)).rejects.toEqual(
      field('init'),
    );
    await expect(sample(options('euler', { strength: 0.5 }), denoise)).rejects.toEqual(
      field('strength'),
    );
    await expect(
      sample(options('euler', { mask: new Float32Array(SIZE) }), denoise),
    ).rejects.toEqual(field('mask'));
    await expect(sample(options('euler', { shape: [4, 16, 16] }), denoise)).rejects.toEqual(
      field('shape'),
    );
    await expect(sample(options('euler'), async () => new Float32Array(5))).rejects.toMatchObject({
      code: 'INFERENCE_FAILED',
    });
  });
});
