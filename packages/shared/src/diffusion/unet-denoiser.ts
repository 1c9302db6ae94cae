import { LoupeError } from '../api/loupe-error';
import type { PredictionType } from './scheduler-config';
import type { SamplingPlan } from './sampling-plan';

/**
 * A denoiser in k-diffusion form: given the latent x at noise level σ (x = x₀ + σ·ε), the
 * predicted clean latent x₀. `stepIndex` indexes the plan's arrays. It must not modify x, and must
 * answer a fresh array each call: DPM-Solver++ keeps the previous answer.
 */
export type Denoiser = (x: Float32Array, sigma: number, stepIndex: number) => Promise<Float32Array>;

/**
 * One UNet evaluation, guidance included: the model input (already scaled by `unetInputScale`) at
 * the plan's timestep → the raw output (ε, v or x₀, as the config's prediction_type says).
 */
export type UnetCall = (
  input: Float32Array,
  timestep: number,
  stepIndex: number,
) => Promise<Float32Array>;

/**
 * What the UNet is given for a latent at σ: diffusers' scale_model_input, x / sqrt(σ² + 1), which
 * is the variance-preserving latent every SD UNet was trained on.
 */
export function unetInputScale(sigma: number): number {
  return 1 / Math.sqrt(sigma * sigma + 1);
}

/**
 * x₀ from a UNet output for the latent x at σ, for each prediction type:
 * epsilon x − σ·ε; v_prediction x/(σ² + 1) − v·σ/sqrt(σ² + 1); sample the output itself.
 *
 * @example predictedOriginal(Float32Array.of(0.5), Float32Array.of(2), 0.25, 'epsilon') // [0]
 */
export function predictedOriginal(
  output: Float32Array,
  x: Float32Array,
  sigma: number,
  predictionType: PredictionType,
): Float32Array {
  if (output.length !== x.length)
    throw new LoupeError(
      'INFERENCE_FAILED',
      `The UNet gave ${output.length} values for a latent of ${x.length}`,
    );
  switch (predictionType) {
    case 'epsilon':
      return x.map((xi, j) => xi - sigma * output[j]!);
    case 'v_prediction': {
      const cSkip = 1 / (sigma * sigma + 1);
      const cOut = -sigma / Math.sqrt(sigma * sigma + 1);
      return x.map((xi, j) => xi * cSkip + output[j]! * cOut);
    }
    case 'sample':
      return output.slice();
  }
}

/**
 * The `Denoiser` that `sample` needs, built from a UNet call: scales the input, passes the plan's
 * timestep and converts the output to x₀ with the model's prediction type.
 *
 * @example const plan = samplingPlan(options);
 *   const latent = await sample(options, unetDenoiser(plan, (input, t) => runUnetWithGuidance(input, t)));
 */
export function unetDenoiser(plan: SamplingPlan, unet: UnetCall): Denoiser {
  return async (x, sigma, stepIndex) => {
    const scale = unetInputScale(sigma);
    const output = await unet(
      x.map((v) => v * scale),
      plan.timesteps[stepIndex]!,
      stepIndex,
    );
    return predictedOriginal(output, x, sigma, plan.config.prediction_type);
  };
}
