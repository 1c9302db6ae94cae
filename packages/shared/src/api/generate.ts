import { z } from 'zod';
import { MAX_SEED } from '../diffusion/noise';
import {
  GENERATION_SIZE,
  numberField as number,
  textField as text,
  wholeNumberField as wholeNumber,
} from '../diffusion/params';
import { SCHEDULER_IDS } from '../diffusion/schedulers';

// `POST /generate` speaks the Stable Diffusion REST API Loupe was designed from (snake_case
// fields, base64 image + metadata back), mapped onto the `generate` op. Its 400s name its own
// fields, so its fields are built from the same message-naming helpers under those names.

const side = (field: string) =>
  wholeNumber(field, GENERATION_SIZE.min, GENERATION_SIZE.max)
    .multipleOf(GENERATION_SIZE.multiple, {
      error: `${field} must be a multiple of ${GENERATION_SIZE.multiple}`,
    })
    .optional();

/**
 * The body of `POST /generate`. Omitted: width/height → the model's native size, seed →
 * random (returned), scheduler → the model's, model → the only (or first) usable folder that
 * does text-to-image.
 *
 * @example { prompt: 'a lighthouse at dusk', negative_prompt: 'blurry', steps: 28,
 *   width: 512, height: 512, seed: 42, guidance_scale: 7.5, scheduler: 'dpmpp-2m' }
 */
export const GenerateRequestSchema = z.strictObject({
  prompt: text('prompt').min(1, { error: 'prompt must not be empty' }),
  negative_prompt: text('negative_prompt').default(''),
  steps: wholeNumber('steps', 1, 150).default(28),
  width: side('width'),
  height: side('height'),
  seed: wholeNumber('seed', 0, MAX_SEED).optional(),
  guidance_scale: number('guidance_scale', 0, 30).default(7.5),
  scheduler: z
    .enum(SCHEDULER_IDS, { error: `scheduler must be one of ${SCHEDULER_IDS.join(', ')}` })
    .optional(),
  model: z
    .string({ error: 'model must name a diffusion model (a folder id from /api/models)' })
    .min(1, { error: 'model must name a diffusion model (a folder id from /api/models)' })
    .max(255, { error: 'model must be at most 255 characters' })
    .optional(),
});
export type GenerateRequest = z.input<typeof GenerateRequestSchema>;

export const GenerateResponseSchema = z.object({
  /** The PNG, base64 (no data: prefix). */
  image_base64: z.string(),
  metadata: z.object({
    prompt: z.string(),
    negative_prompt: z.string(),
    steps: z.number().int().positive(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    /** The seed that ran: the one asked for, or the random one picked. */
    seed: z.number().int().nonnegative(),
    guidance_scale: z.number(),
    scheduler: z.enum(SCHEDULER_IDS),
    /** Denoising and decoding, without queueing or encoding. */
    generation_time_seconds: z.number().nonnegative(),
    /** `<folder id>@<first 12 hex digits of its sha256>`, e.g. `sd15@3f2a9c01b4de`. */
    model_version: z.string(),
  }),
});
export type GenerateResponse = z.infer<typeof GenerateResponseSchema>;

/** How `model_version` names a folder: its id and a sha256 prefix long enough to tell builds apart. */
export function modelVersion(id: string, sha256: string): string {
  return `${id}@${sha256.slice(0, 12)}`;
}
