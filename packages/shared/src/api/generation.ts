import { z } from 'zod';
import { SCHEDULER_IDS } from '../diffusion/schedulers';

/** Where a generation's text embedding lived between UNet calls (see `textEmbedding`). */
export const TEXT_EMBEDDING_LOCATIONS = ['cpu', 'gpu-buffer'] as const;
export type TextEmbeddingLocation = (typeof TEXT_EMBEDDING_LOCATIONS)[number];

/**
 * What a generative edit ran with, beside its pixels: enough to reproduce it and to write the
 * SD tools' `parameters` PNG chunk and the `/generate` route's metadata. `seeds[k]` made image k.
 *
 * @example { model: 'sd15', modelSha256: '…', seeds: [42, 43], steps: 28, requestedSteps: 28,
 *   scheduler: 'dpmpp-2m', karras: true, guidance: 7.5, width: 512, height: 512,
 *   prompt: 'a red fox', negativePrompt: '', droppedTokens: { prompt: 0, negativePrompt: 0 } }
 */
export const GenerationMetadataSchema = z.object({
  /** The diffusion folder's id and its sha256 (see `DiffusionModelInfo.sha256`). */
  model: z.string(),
  modelSha256: z.string(),
  seeds: z.array(z.number().int().nonnegative()),
  /** Denoising steps that ran per image (fewer than asked when strength < 1). */
  steps: z.number().int().nonnegative(),
  /** The `steps` parameter (diffusers' num_inference_steps). */
  requestedSteps: z.number().int().positive(),
  scheduler: z.enum(SCHEDULER_IDS),
  karras: z.boolean(),
  guidance: z.number(),
  imageGuidance: z.number().optional(),
  strength: z.number().optional(),
  maskBlur: z.number().optional(),
  /** The size the model ran at: the output's, padded up to a multiple of 8 for an input image. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  prompt: z.string(),
  negativePrompt: z.string(),
  /** CLIP tokens cut off past the 77-token context, per prompt. */
  /**
   * False when the same request can give other pixels: the folder's VAE encoder samples its
   * latent inside the graph (`latent-sample`, the diffusers script's export) with a generator
   * no seed reaches, and the run encoded a picture.
   */
  reproducible: z.boolean(),
  /**
   * Where the prompts' hidden states stayed between UNet calls: 'gpu-buffer' on WebGPU (never
   * read back), 'cpu' elsewhere; absent when no step ran (nothing was encoded).
   */
  textEmbedding: z.enum(TEXT_EMBEDDING_LOCATIONS).optional(),
  droppedTokens: z.object({
    prompt: z.number().int().nonnegative(),
    negativePrompt: z.number().int().nonnegative(),
  }),
});
export type GenerationMetadata = z.infer<typeof GenerationMetadataSchema>;
