import { z } from 'zod';
import { MAX_SEED } from '../diffusion/noise';
import {
  GENERATION_SIZE,
  MAX_IMAGE_COUNT,
  numberField as number,
  textField as text,
  wholeNumberField as wholeNumber,
} from '../diffusion/params';
import { SCHEDULERS, SCHEDULER_IDS, type SchedulerId } from '../diffusion/schedulers';
import { SD_SAMPLER_ALIASES, SD_SAMPLER_NAMES, sdSampler } from '../diffusion/sd-parameters';
import { ESRGAN_SCALES, ESRGAN_SIZES, type EsrganSize } from '../models/model-ids';
import type { DiffusionModelInfo } from '../models/diffusion-model';

// The Stable Diffusion web UI's (A1111's) `/sdapi/v1` API, as its documentation and
// modules/api/models.py define it, mapped onto Loupe's ops: clients written for that API run
// unchanged. Fields Loupe reads are validated with the same field-naming messages as its own
// routes (400s name the SD field); every other field is accepted, has no effect, and is listed
// in the answer's `info` as `ignored_fields`, so nothing is dropped silently.

/** A1111's "random seed": -1 (or omitted) draws one; it is returned like any seed. */
const seed = z
  .number({ error: `seed must be a whole number from -1 to ${MAX_SEED}` })
  .int({ error: `seed must be a whole number from -1 to ${MAX_SEED}` })
  .min(-1, { error: 'seed must be at least -1 (-1: random)' })
  .max(MAX_SEED, { error: `seed must be at most ${MAX_SEED}` })
  .default(-1);

const side = (field: string) =>
  wholeNumber(field, GENERATION_SIZE.min, GENERATION_SIZE.max)
    .multipleOf(GENERATION_SIZE.multiple, {
      error: `${field} must be a multiple of ${GENERATION_SIZE.multiple}`,
    })
    .optional();

const samplerName = z
  .string({ error: 'sampler_name must be a sampler name from GET /sdapi/v1/samplers' })
  .optional();

/** A1111 1.9+'s "Schedule type": Karras, or Automatic (the model's config); others refused. */
export const SD_SCHEDULE_TYPES = ['Automatic', 'Karras', 'Uniform'] as const;

const common = {
  prompt: text('prompt').default(''),
  negative_prompt: text('negative_prompt').default(''),
  seed,
  sampler_name: samplerName,
  /** Older clients send the sampler here. */
  sampler_index: samplerName,
  scheduler: z
    .enum(SD_SCHEDULE_TYPES, {
      error: `scheduler must be one of ${SD_SCHEDULE_TYPES.join(', ')}`,
    })
    .optional(),
  batch_size: wholeNumber('batch_size', 1, MAX_IMAGE_COUNT).default(1),
  n_iter: wholeNumber('n_iter', 1, MAX_IMAGE_COUNT).default(1),
  // A1111's API defaults.
  steps: wholeNumber('steps', 1, 150).default(50),
  cfg_scale: number('cfg_scale', 0, 30).default(7),
  width: side('width'),
  height: side('height'),
  override_settings: z
    .looseObject({
      sd_model_checkpoint: z
        .string({ error: 'override_settings.sd_model_checkpoint must be a model title or name' })
        .optional(),
    })
    .optional(),
};

/** Base64 picture, with or without a `data:image/…;base64,` prefix (A1111 takes both). */
const image = (field: string) =>
  z
    .string({ error: `${field} must be a base64-encoded image` })
    .min(1, { error: `${field} must not be empty` });

/** POST /sdapi/v1/txt2img. Omitted width/height: the model's native size (A1111: 512). */
export const SdTxt2ImgRequestSchema = z.looseObject({ ...common });
export type SdTxt2ImgRequest = z.output<typeof SdTxt2ImgRequestSchema>;

/**
 * POST /sdapi/v1/img2img: the first of `init_images`; with `mask` it is an inpaint (white =
 * repaint; `inpainting_mask_invert: 1` repaints the black part instead). The picture keeps its
 * own size: a `width`/`height` that differs is listed as ignored, not a resize.
 */
export const SdImg2ImgRequestSchema = z.looseObject({
  ...common,
  init_images: z
    .array(image('init_images'), { error: 'init_images must be a list of base64 images' })
    .min(1, { error: 'init_images must hold at least one image' }),
  mask: image('mask').nullish(),
  denoising_strength: number('denoising_strength', 0, 1).default(0.75),
  mask_blur: wholeNumber('mask_blur', 0, 64).default(4),
  inpainting_mask_invert: z
    .union([z.literal(0), z.literal(1)], { error: 'inpainting_mask_invert must be 0 or 1' })
    .default(0),
  /** InstructPix2Pix models' image guidance. */
  image_cfg_scale: number('image_cfg_scale', 0, 10).default(1.5),
});
export type SdImg2ImgRequest = z.output<typeof SdImg2ImgRequestSchema>;

/** POST /sdapi/v1/extra-single-image: Loupe's ESRGAN upscalers; `resize_mode` 0 = by factor. */
export const SdExtraSingleImageRequestSchema = z.looseObject({
  image: image('image'),
  resize_mode: z
    .literal(0, { error: 'resize_mode must be 0 (scale by upscaling_resize)' })
    .default(0),
  upscaling_resize: z
    .union(
      ESRGAN_SCALES.map((s) => z.literal(s)) as unknown as [z.ZodLiteral<2>, z.ZodLiteral<3>],
      { error: `upscaling_resize must be one of ${ESRGAN_SCALES.join(', ')}` },
    )
    .default(2),
  upscaler_1: z.string({ error: 'upscaler_1 must be an upscaler name' }).default('None'),
});
export type SdExtraSingleImageRequest = z.output<typeof SdExtraSingleImageRequestSchema>;

/** What txt2img and img2img answer: PNGs as base64, the request, and `info` as a JSON string. */
export const SdImagesResponseSchema = z.object({
  images: z.array(z.string()),
  parameters: z.record(z.string(), z.unknown()),
  info: z.string(),
});
export type SdImagesResponse = z.infer<typeof SdImagesResponseSchema>;

export const SdExtraSingleImageResponseSchema = z.object({
  html_info: z.string(),
  image: z.string(),
});

export const SdProgressResponseSchema = z.object({
  progress: z.number().min(0).max(1),
  eta_relative: z.number().nonnegative(),
  state: z.object({
    skipped: z.boolean(),
    interrupted: z.boolean(),
    job: z.string(),
    job_count: z.number().int().nonnegative(),
    job_timestamp: z.string(),
    job_no: z.number().int().nonnegative(),
    sampling_step: z.number().int().nonnegative(),
    sampling_steps: z.number().int().nonnegative(),
  }),
  /** The latest step preview (base64), filled from Loupe's previews; null before the first. */
  current_image: z.string().nullable(),
  textinfo: z.string().nullable(),
});
export type SdProgressResponse = z.infer<typeof SdProgressResponseSchema>;

export const SdSamplerSchema = z.object({
  name: z.string(),
  aliases: z.array(z.string()),
  options: z.record(z.string(), z.string()),
});

export const SdModelSchema = z.object({
  title: z.string(),
  model_name: z.string(),
  hash: z.string(),
  sha256: z.string(),
  filename: z.string(),
  config: z.null(),
});
export type SdModel = z.infer<typeof SdModelSchema>;

export const SdUpscalerSchema = z.object({
  name: z.string(),
  model_name: z.string().nullable(),
  model_path: z.string().nullable(),
  model_url: z.string().nullable(),
  scale: z.number(),
});

/** The samplers Loupe runs, as GET /sdapi/v1/samplers lists them (Karras is a schedule type). */
export function sdSamplers(): z.infer<typeof SdSamplerSchema>[] {
  return SCHEDULER_IDS.map((id) => ({
    name: SD_SAMPLER_NAMES[id].name,
    // k-diffusion's names that carry no Karras (those name a variant, not the sampler).
    aliases: Object.entries(SD_SAMPLER_ALIASES)
      .filter(([, a]) => a.scheduler === id && !a.karras)
      .map(([alias]) => alias),
    options: (SCHEDULERS[id].karras ? { scheduler: 'karras' } : {}) as Record<string, string>,
  }));
}

/**
 * Said in a random-weight folder's title: A1111's checkpoint shape has no field for it, and a
 * client shows the title, so a test pipeline is never listed as if it were a model.
 */
export const SD_RANDOM_WEIGHTS_MARK = '(random weights: makes noise)';

type TitledModel = Pick<DiffusionModelInfo, 'id' | 'sha256' | 'randomWeights'>;

/**
 * `<id> [<first 10 hex of the sha256>]`: A1111's checkpoint title, which clients send back;
 * a random-weight folder's says so before the hash.
 *
 * @example sdModelTitle({ id: 'sd15', sha256: 'ab12…', randomWeights: false }) // 'sd15 [ab12…]'
 */
export function sdModelTitle(info: TitledModel): string {
  const mark = info.randomWeights ? ` ${SD_RANDOM_WEIGHTS_MARK}` : '';
  return `${info.id}${mark} [${info.sha256.slice(0, 10)}]`;
}

export function sdModel(info: TitledModel): SdModel {
  return {
    title: sdModelTitle(info),
    model_name: info.id,
    hash: info.sha256.slice(0, 10),
    sha256: info.sha256,
    // A folder id, never a path on the server.
    filename: info.id,
    config: null,
  };
}

/** Which model a request's `override_settings.sd_model_checkpoint` names: a title, a name or an id. */
export function sdCheckpointId(checkpoint: string): string {
  const name = checkpoint.replace(/\s*\[[0-9a-f]+\]$/, '');
  const mark = ` ${SD_RANDOM_WEIGHTS_MARK}`;
  return (name.endsWith(mark) ? name.slice(0, -mark.length) : name).replace(
    /\.(safetensors|ckpt)$/,
    '',
  );
}

/**
 * What each upscaler name of GET /sdapi/v1/upscalers runs: Loupe's ESRGAN models, or a plain
 * resample for A1111's "None", "Lanczos" and "Nearest".
 */
export type SdUpscaler =
  { op: 'upscale'; model: EsrganSize } | { op: 'resize'; kernel: 'lanczos3' | 'nearest' };

export const SD_UPSCALERS: Readonly<Record<string, SdUpscaler>> = {
  None: { op: 'resize', kernel: 'lanczos3' },
  Lanczos: { op: 'resize', kernel: 'lanczos3' },
  Nearest: { op: 'resize', kernel: 'nearest' },
  ...Object.fromEntries(
    ESRGAN_SIZES.map((model) => [`ESRGAN ${model}`, { op: 'upscale', model } as const]),
  ),
};

export function sdUpscalers(): z.infer<typeof SdUpscalerSchema>[] {
  return Object.entries(SD_UPSCALERS).map(([name, u]) => ({
    name,
    model_name: u.op === 'upscale' ? `esrgan-${u.model}` : null,
    model_path: null,
    model_url: null,
    // ESRGAN runs at the asked factor (2, 3, 4 or 8); a resample at any.
    scale: u.op === 'upscale' ? 4 : 1,
  }));
}

/** The step an extra-single-image request runs. */
export function sdExtrasStep(r: SdExtraSingleImageRequest): SdStep | ResizeStep {
  const upscaler = SD_UPSCALERS[r.upscaler_1];
  if (!upscaler)
    throw new SdFieldError(
      'upscaler_1',
      `upscaler_1 must be one of ${Object.keys(SD_UPSCALERS).join(', ')}; Loupe has no ${r.upscaler_1}`,
    );
  return upscaler.op === 'upscale'
    ? { op: 'upscale', params: { model: upscaler.model, scale: r.upscaling_resize } }
    : {
        op: 'resize',
        params: { mode: 'scale', scale: r.upscaling_resize, kernel: upscaler.kernel },
      };
}

/** A non-generative step of the extras route. */
export interface ResizeStep {
  op: 'upscale' | 'resize';
  params: Record<string, unknown>;
}

/** A step as a request gives it: parsed (with its defaults) by the route like any other. */
export interface SdStep {
  op: 'generate' | 'img2img' | 'instruct' | 'inpaint';
  params: Record<string, unknown>;
}

/** A field-named refusal the route turns into a 400 (INVALID_PARAMS with `fields`). */
export class SdFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Loupe's sampler for a request: `sampler_name`, else `sampler_index`, with the schedule type. */
export function sdSamplerOf(
  r: Pick<SdTxt2ImgRequest, 'sampler_name' | 'sampler_index' | 'scheduler'>,
): { scheduler?: SchedulerId; karras?: boolean } {
  const field = r.sampler_name !== undefined ? 'sampler_name' : 'sampler_index';
  const name = r.sampler_name ?? r.sampler_index;
  const out: { scheduler?: SchedulerId; karras?: boolean } = {};
  if (name !== undefined) {
    const found = sdSampler(name);
    if (!found)
      throw new SdFieldError(
        field,
        `${field} must be one of ${sdSamplers()
          .map((s) => s.name)
          .join(', ')} (or a Karras variant such as DPM++ 2M Karras); Loupe has no ${name}`,
      );
    out.scheduler = found.scheduler;
    if (found.karras) out.karras = true;
  }
  if (r.scheduler === 'Karras') {
    if (out.scheduler && !SCHEDULERS[out.scheduler].karras)
      throw new SdFieldError(
        'scheduler',
        `Karras sigmas do not apply to ${SCHEDULERS[out.scheduler].title}`,
      );
    out.karras = true;
  } else if (r.scheduler === 'Uniform') {
    out.karras = false;
  }
  return out;
}

/** The images a request asks for: A1111 runs n_iter batches of batch_size. */
export function sdCount(r: Pick<SdTxt2ImgRequest, 'batch_size' | 'n_iter'>): number {
  const count = r.batch_size * r.n_iter;
  if (count > MAX_IMAGE_COUNT)
    throw new SdFieldError(
      'batch_size',
      `batch_size × n_iter must be at most ${MAX_IMAGE_COUNT} (asked for ${count})`,
    );
  return count;
}

function generationParams(r: SdTxt2ImgRequest, model: string) {
  return {
    model,
    prompt: r.prompt,
    negativePrompt: r.negative_prompt,
    steps: r.steps,
    guidance: r.cfg_scale,
    count: sdCount(r),
    ...(r.seed >= 0 ? { seed: r.seed } : {}),
    ...sdSamplerOf(r),
  };
}

/** The `generate` step a txt2img request runs on `model`. */
export function sdTxt2ImgStep(r: SdTxt2ImgRequest, model: string): SdStep {
  return {
    op: 'generate',
    params: {
      ...generationParams(r, model),
      ...(r.width !== undefined ? { width: r.width } : {}),
      ...(r.height !== undefined ? { height: r.height } : {}),
    },
  };
}

/**
 * The step an img2img request runs: with a mask, `inpaint`; on an InstructPix2Pix model,
 * `instruct` (the prompt is the instruction, `image_cfg_scale` its image guidance); else `img2img`.
 */
export function sdImg2ImgStep(
  r: SdImg2ImgRequest,
  model: Pick<DiffusionModelInfo, 'id' | 'capabilities'>,
): SdStep {
  const params = generationParams(r, model.id);
  if (r.mask)
    return {
      op: 'inpaint',
      params: { ...params, strength: r.denoising_strength, maskBlur: r.mask_blur },
    };
  if (model.capabilities.includes('instruct') && !model.capabilities.includes('img2img'))
    return { op: 'instruct', params: { ...params, imageGuidance: r.image_cfg_scale } };
  return { op: 'img2img', params: { ...params, strength: r.denoising_strength } };
}

const TXT2IMG_USED = [
  'prompt',
  'negative_prompt',
  'seed',
  'sampler_name',
  'sampler_index',
  'scheduler',
  'batch_size',
  'n_iter',
  'steps',
  'cfg_scale',
  'width',
  'height',
  'override_settings',
] as const;
const IMG2IMG_USED = [
  ...TXT2IMG_USED.filter((f) => f !== 'width' && f !== 'height'),
  'init_images',
  'mask',
  'denoising_strength',
  'mask_blur',
  'inpainting_mask_invert',
  'image_cfg_scale',
] as const;
const EXTRA_USED = ['image', 'resize_mode', 'upscaling_resize', 'upscaler_1'] as const;

export const SD_USED_FIELDS = {
  txt2img: TXT2IMG_USED,
  img2img: IMG2IMG_USED,
  'extra-single-image': EXTRA_USED,
} as const;

/**
 * Fields of a body that had no effect, in the order sent: everything Loupe does not read, and
 * the override settings other than the checkpoint. Null and empty values count too: a client
 * may rely on any of them, so each is named.
 */
export function sdIgnoredFields(
  body: Record<string, unknown>,
  route: keyof typeof SD_USED_FIELDS,
  extra: readonly string[] = [],
): string[] {
  const used = new Set<string>(SD_USED_FIELDS[route]);
  const ignored = Object.keys(body).filter((k) => !used.has(k));
  const overrides = body.override_settings;
  if (overrides && typeof overrides === 'object')
    for (const k of Object.keys(overrides))
      if (k !== 'sd_model_checkpoint') ignored.push(`override_settings.${k}`);
  return [...ignored, ...extra];
}
