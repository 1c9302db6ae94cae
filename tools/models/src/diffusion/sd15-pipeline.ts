import type { FloatDtype } from '@loupe/shared';
import type { PipelineSpec } from './pipeline-spec';
import { SD15_TEXT_ENCODER } from './text-encoder';
import { SD15_UNET } from './unet';
import { SD15_VAE } from './vae';

/**
 * Stable Diffusion 1.5's shape with random weights, for benchmarks (speed does not depend on
 * the weights' values): the real UNet (859.5 M parameters), VAE (83.7 M) and CLIP text
 * encoder (123 M), in optimum's layout, the UNet's weights as external data (3.4 GB in
 * float32, past protobuf's 2 GB). Write it outside the repository; it is never committed.
 */
export function sd15PipelineSpec(dtype: FloatDtype): PipelineSpec {
  return {
    exporter: 'optimum',
    dtype,
    unet: SD15_UNET,
    vae: SD15_VAE,
    text: SD15_TEXT_ENCODER,
    inputIds: 'int64',
    timestep: { dtype: 'float', shape: 'scalar' },
    vaeEncoder: 'latent-parameters',
    tokenizer: 'vocab-merges',
    externalData: ['unet'],
    license: 'model-card',
    sampleSize: 64,
    seed: 15,
  };
}
