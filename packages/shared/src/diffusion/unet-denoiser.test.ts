import { describe, expect, it } from 'vitest';
import { samplingPlan } from './sampling-plan';
import { predictedOriginal, unetDenoiser, unetInputScale } from './unet-denoiser';

const x0 = Float32Array.of(0.5, -1.25, 0.75, 2);
const eps = Float32Array.of(1, -0.5, 0.25, -2);

describe('from UNet output to x₀', () => {
  // The latent at σ in k-diffusion form, and the VP latent the UNet sees: α·x₀ + σ_vp·ε.
  const sigma = 3;
  const alpha = 1 / Math.sqrt(1 + sigma * sigma);
  const x = x0.map((v, j) => v + sigma * eps[j]!);

  it('inverts an ε-prediction', () => {
    predictedOriginal(eps, x, sigma, 'epsilon').forEach((v, j) => expect(v).toBeCloseTo(x0[j]!, 5));
  });

  it('inverts a v-prediction, v = α·ε − σ_vp·x₀ (Salimans & Ho 2022)', () => {
    const v = x0.map((d, j) => alpha * eps[j]! - sigma * alpha * d);
    predictedOriginal(v, x, sigma, 'v_prediction').forEach((p, j) =>
      expect(p).toBeCloseTo(x0[j]!, 5),
    );
  });

  it('passes a sample prediction through, and refuses an output of the wrong size', () => {
    expect(predictedOriginal(x0, x, sigma, 'sample')).toEqual(x0);
    expect(() => predictedOriginal(new Float32Array(3), x, sigma, 'epsilon')).toThrow(/3 values/);
  });

  it('scales the UNet input to the variance-preserving latent', () => {
    expect(unetInputScale(sigma)).toBeCloseTo(alpha, 15);
    expect(unetInputScale(0)).toBe(1);
  });
});

describe('unetDenoiser', () => {
  it("gives the UNet the scaled latent and the plan's timestep, and returns x₀", async () => {
    const plan = samplingPlan({
      scheduler: 'dpmpp-2m',
      karras: true,
      steps: 8,
      config: {
        prediction_type: 'v_prediction',
        beta_schedule: 'scaled_linear',
        beta_start: 0.00085,
        beta_end: 0.012,
      },
    });
    const seen: { input: Float32Array; timestep: number; index: number }[] = [];
    const i = 3;
    const sigma = plan.sigmas[i]!;
    const alpha = unetInputScale(sigma);
    // A perfect v-model for this x₀: it reads ε back out of its (VP) input.
    const denoise = unetDenoiser(plan, async (input, timestep, index) => {
      seen.push({ input, timestep, index });
      return input.map((u, j) => {
        const e = (u - alpha * x0[j]!) / (sigma * alpha);
        return alpha * e - sigma * alpha * x0[j]!;
      });
    });
    const x = x0.map((v, j) => v + sigma * eps[j]!);
    const out = await denoise(x, sigma, i);
    out.forEach((v, j) => expect(v).toBeCloseTo(x0[j]!, 4));
    expect(seen[0]!.timestep).toBe(plan.timesteps[i]);
    expect(seen[0]!.index).toBe(i);
    seen[0]!.input.forEach((u, j) => expect(u).toBeCloseTo(x[j]! * alpha, 6));
  });
});
