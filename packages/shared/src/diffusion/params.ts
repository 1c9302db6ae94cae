import { z } from 'zod';
import { param } from '../ops/param-meta';
import { MAX_SEED, randomSeed } from './noise';
import { SCHEDULER_IDS, SCHEDULERS, type SchedulerId } from './schedulers';

export const MAX_PROMPT_CHARS = 10_000;
export const GENERATION_SIZE = { min: 64, max: 2048, multiple: 8 } as const;
export const MAX_IMAGE_COUNT = 8;

// Each message names its field, so a 400 reads on its own ("steps must be …").
/** A number field whose messages name it (also used by `POST /generate`'s own field names). */
export const numberField = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number from ${min} to ${max}` })
    .min(min, { error: `${field} must be at least ${min}` })
    .max(max, { error: `${field} must be at most ${max}` });
export const wholeNumberField = (field: string, min: number, max: number) =>
  numberField(field, min, max).int({
    error: `${field} must be a whole number from ${min} to ${max}`,
  });
export const textField = (field: string) =>
  z
    .string({
      error: (i) => (i.input === undefined ? `${field} is required` : `${field} must be text`),
    })
    .max(MAX_PROMPT_CHARS, { error: `${field} must be at most ${MAX_PROMPT_CHARS} characters` });
const side = (field: string, title: string) =>
  param(
    wholeNumberField(field, GENERATION_SIZE.min, GENERATION_SIZE.max)
      .multipleOf(GENERATION_SIZE.multiple, { error: `${field} must be a multiple of 8` })
      .optional(),
    {
      title,
      description: "Multiple of 8. Omitted: the model's native size.",
      'x-unit': 'px',
      'x-step': 8,
      'x-control': 'slider',
    },
  );

/**
 * The parameters every generative edit takes. A field's schema is exported on its own so that each
 * op composes the ones it needs (img2img adds `strength`, instruct adds `imageGuidance`).
 */
export const generationFields = {
  prompt: param(textField('prompt'), {
    title: 'Prompt',
    description:
      'What to make. Past 77 CLIP tokens the rest is dropped, and the result says how many.',
  }),
  negativePrompt: param(textField('negativePrompt').default(''), {
    title: 'Negative prompt',
    description: 'What to steer away from.',
  }),
  seed: param(wholeNumberField('seed', 0, MAX_SEED).optional(), {
    title: 'Seed',
    description: 'Same seed, same image. Omitted: a random one, returned with the result.',
  }),
  steps: param(wholeNumberField('steps', 1, 150).default(28), {
    title: 'Steps',
    'x-step': 1,
    'x-control': 'slider',
  }),
  guidance: param(numberField('guidance', 0, 30).default(7.5), {
    title: 'Guidance',
    description:
      'How closely to follow the prompt (classifier-free guidance scale); 1 or less turns it off.',
    'x-step': 0.5,
    'x-control': 'slider',
  }),
  width: side('width', 'Width'),
  height: side('height', 'Height'),
  scheduler: param(
    z
      .enum(SCHEDULER_IDS, { error: `scheduler must be one of ${SCHEDULER_IDS.join(', ')}` })
      .optional(),
    {
      title: 'Sampler',
      description: "Omitted: the one the model's scheduler_config names, else DPM-Solver++ 2M.",
      'x-control': 'select',
      'x-options': Object.fromEntries(SCHEDULER_IDS.map((id) => [id, SCHEDULERS[id].title])),
    },
  ),
  karras: param(z.boolean({ error: 'karras must be true or false' }).optional(), {
    title: 'Karras sigmas',
    description: "More steps at low noise (Euler and DPM-Solver++). Omitted: the model's config.",
    'x-control': 'toggle',
    'x-visible-when': { scheduler: ['euler', 'euler-ancestral', 'dpmpp-2m'] },
  }),
  count: param(wholeNumberField('count', 1, MAX_IMAGE_COUNT).default(1), {
    title: 'Images',
    description: 'Image k uses seed + k.',
    'x-step': 1,
    'x-control': 'slider',
  }),
};

export const strengthParam = param(numberField('strength', 0, 1).default(0.8), {
  title: 'Strength',
  description: 'How much of the image to repaint: 0 keeps it, 1 starts from noise.',
  'x-step': 0.01,
  'x-control': 'slider',
});

export const imageGuidanceParam = param(numberField('imageGuidance', 0, 10).default(1.5), {
  title: 'Image guidance',
  description: 'How closely to keep to the input image (InstructPix2Pix); 1 or less turns it off.',
  'x-step': 0.1,
  'x-control': 'slider',
});

/** Karras sigmas exist only for the samplers diffusers defines them for (a params refinement). */
export function karrasOnlyWhereDefined(
  p: { scheduler?: SchedulerId | undefined; karras?: boolean | undefined },
  ctx: z.RefinementCtx,
) {
  if (p.karras && p.scheduler && !SCHEDULERS[p.scheduler].karras)
    ctx.addIssue({
      code: 'custom',
      path: ['karras'],
      message: `karras applies to Euler and DPM-Solver++ only, not ${SCHEDULERS[p.scheduler].title}`,
    });
}

/** Text to image. @example TextToImageParams.parse({ prompt: 'a red fox' }).steps // 28 */
export const TextToImageParams = z.object(generationFields).superRefine(karrasOnlyWhereDefined);
export type TextToImageParams = z.output<typeof TextToImageParams>;

/** Image to image: the prompt repaints the input by `strength`. */
export const ImageToImageParams = z
  .object({ ...generationFields, strength: strengthParam })
  .superRefine(karrasOnlyWhereDefined);
export type ImageToImageParams = z.output<typeof ImageToImageParams>;

/** Instruction edit (InstructPix2Pix): three-way guidance on prompt and image. */
export const InstructParams = z
  .object({ ...generationFields, imageGuidance: imageGuidanceParam })
  .superRefine(karrasOnlyWhereDefined);
export type InstructParams = z.output<typeof InstructParams>;

/**
 * The seed a run uses: the one asked for, or a fresh random one (which the result then reports).
 *
 * @example resolveSeed(42) // 42
 */
export function resolveSeed(seed: number | undefined): number {
  return seed ?? randomSeed();
}
