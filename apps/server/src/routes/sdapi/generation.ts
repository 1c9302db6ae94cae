import { finished } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  EditOptionsSchema,
  ErrorBodySchema,
  formatSdParameters,
  generationRecord,
  LoupeError,
  SdFieldError,
  SdImagesResponseSchema,
  SdImg2ImgRequestSchema,
  SdTxt2ImgRequestSchema,
  sdCheckpointId,
  foldersFor,
  sdIgnoredFields,
  sdImg2ImgStep,
  sdModelTitle,
  sdTxt2ImgStep,
  SD_SAMPLER_NAMES,
  type DiffusionModelInfo,
  type GenerativeOpId,
  type SdImagesResponse,
  type SdStep,
} from '@loupe/shared';
import { resultsOf, type JobRecord } from '../../jobs/job';
import { disposeResult, resultBytes } from '../../jobs/result-body';
import { CONFIGURE_DIFFUSION } from '../api/diffusion-steps';
import {
  admissionHooks,
  base64Bytes,
  clientGone,
  submitEdit,
  uploadBodyLimit,
} from '../api/edit-request';
import { awaitJob } from '../api/await-job';
import type { SdJobs } from './sd-jobs';

const error = ErrorBodySchema;

/** A dialect field refusal as Loupe's 400, naming the SD field. */
export function fieldError(e: unknown): unknown {
  if (e instanceof SdFieldError)
    return new LoupeError('INVALID_PARAMS', e.message, [{ path: e.field, message: e.message }]);
  return e;
}

/**
 * The model a request runs: `override_settings.sd_model_checkpoint` (a title, name or folder
 * id), else the dialect's current checkpoint (POST /sdapi/v1/options), else the first usable
 * folder that can run one of `ops`.
 */
export async function pickModel(
  app: FastifyInstance,
  checkpoint: string | undefined,
  ops: readonly GenerativeOpId[],
  field = 'override_settings.sd_model_checkpoint',
): Promise<DiffusionModelInfo> {
  const catalog = await app.diffusionModels.list();
  if (checkpoint !== undefined) {
    const id = sdCheckpointId(checkpoint);
    const found = catalog.models.find((m) => m.id === id);
    if (!found || found.status !== 'ready') {
      const why = !catalog.configured
        ? `no diffusion models are configured: ${CONFIGURE_DIFFUSION}`
        : found
          ? `${id} cannot be used: ${found.status === 'unusable' ? found.problem : 'not ready'}`
          : `no model ${checkpoint} (GET /sdapi/v1/sd-models lists them)`;
      throw new LoupeError('INVALID_PARAMS', why, [{ path: field, message: why }]);
    }
    return found;
  }
  for (const op of ops) {
    const first = foldersFor(catalog, op)[0];
    if (first) return first;
  }
  const why = !catalog.configured
    ? `no diffusion models are configured: ${CONFIGURE_DIFFUSION}`
    : `LOUPE_DIFFUSION_DIR has no usable model that does ${ops.join(' or ')} (see GET /api/models, and docs/diffusion-models.md)`;
  throw new LoupeError('MODEL_UNAVAILABLE', why, [{ path: 'model', message: why }]);
}

interface Submitted {
  step: SdStep;
  model: DiffusionModelInfo;
  bytes?: Uint8Array;
  maskBytes?: Uint8Array;
  invertMask?: boolean;
  ignored: string[];
  parameters: Record<string, unknown>;
}

/**
 * Runs one dialect request as a Loupe job and answers in A1111's shape: every picture as PNG
 * base64 (each with its `parameters` text), the request, and `info` with what ran. A job stopped
 * by POST /sdapi/v1/interrupt answers 200 with no pictures and `interrupted: true`, as A1111's
 * clients expect an interrupt to end the request, not fail it.
 */
async function run(
  app: FastifyInstance,
  jobs: SdJobs,
  request: FastifyRequest,
  reply: Parameters<typeof clientGone>[0],
  s: Submitted,
): Promise<SdImagesResponse> {
  const receivedAt = performance.now();
  const signal = clientGone(reply);
  const options = EditOptionsSchema.parse({ op: s.step.op, params: s.step.params, format: 'png' });
  const job = await submitEdit(
    app,
    request,
    {
      bytes: s.bytes,
      options,
      ...(s.maskBytes ? { maskBytes: s.maskBytes } : {}),
      ...(s.invertMask ? { invertMask: true } : {}),
    },
    { retain: false, receivedAt, signal },
  );
  jobs.track(job);
  const outcome = await awaitJob(app, job, signal, {
    what: 'request',
    interrupted: () => jobs.wasInterrupted(job),
  });
  if (outcome === 'interrupted')
    return {
      images: [],
      parameters: s.parameters,
      info: JSON.stringify({ interrupted: true, job: job.id, ignored_fields: s.ignored }),
    };
  const results = resultsOf(job);
  finished(reply.raw, () => void Promise.all(results.map(disposeResult)));
  const images = await Promise.all(
    results.map(async (r) => (await resultBytes(r)).toString('base64')),
  );
  const catalog = await app.diffusionModels.list();
  const model = job.metadata?.generation?.model;
  const randomWeights = catalog.models.some(
    (m) => m.id === model && m.status === 'ready' && m.randomWeights,
  );
  return { images, parameters: s.parameters, info: JSON.stringify(info(job, s, randomWeights)) };
}

/** A1111's `info`: the generation as it ran, plus Loupe's own record of it. */
function info(job: JobRecord, s: Submitted, randomWeights: boolean) {
  const g = job.metadata!.generation!;
  const sampler = SD_SAMPLER_NAMES[g.scheduler];
  // The same text the child wrote into each picture's PNG.
  const record = (_: number, k: number) =>
    formatSdParameters(generationRecord(g, job.metadata!.output, k));
  return {
    prompt: g.prompt,
    all_prompts: g.seeds.map(() => g.prompt),
    negative_prompt: g.negativePrompt,
    all_negative_prompts: g.seeds.map(() => g.negativePrompt),
    seed: g.seeds[0],
    all_seeds: g.seeds,
    subseed: -1,
    all_subseeds: g.seeds.map(() => -1),
    width: job.metadata!.output.width,
    height: job.metadata!.output.height,
    sampler_name: g.karras && sampler.karrasName ? sampler.karrasName : sampler.name,
    scheduler: g.karras ? 'Karras' : 'Automatic',
    cfg_scale: g.guidance,
    steps: g.requestedSteps,
    batch_size: g.seeds.length,
    ...(g.strength !== undefined ? { denoising_strength: g.strength } : {}),
    ...(g.imageGuidance !== undefined ? { image_cfg_scale: g.imageGuidance } : {}),
    sd_model_name: g.model,
    sd_model_hash: g.modelSha256.slice(0, 10),
    sd_model_title: sdModelTitle({ id: g.model, sha256: g.modelSha256, randomWeights }),
    infotexts: g.seeds.map(record),
    job_timestamp: a1111Timestamp(job.startedAt ?? job.createdAt),
    ignored_fields: s.ignored,
    loupe: {
      op: s.step.op,
      job: job.id,
      generation_time_seconds: job.metadata!.timings.inferMs / 1000,
      reproducible: g.reproducible,
      dropped_tokens: g.droppedTokens,
    },
  };
}

/** A1111 writes job timestamps as YYYYMMDDHHMMSS (local time there; UTC here). */
export function a1111Timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** POST /sdapi/v1/txt2img and /sdapi/v1/img2img: the SD web UI's generation routes. */
export function generationRoutes(jobs: SdJobs): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/sdapi/v1/txt2img',
      {
        config: { rateLimit: {} },
        ...admissionHooks(app),
        schema: {
          summary: 'Text to image (Stable Diffusion web UI API)',
          description:
            'A1111’s txt2img body, run as Loupe’s `generate`. Read: prompt, negative_prompt, seed (-1: random), sampler_name/sampler_index, scheduler (Automatic | Karras | Uniform), batch_size × n_iter (≤ 8), steps, cfg_scale, width, height, override_settings.sd_model_checkpoint. Omitted width/height: the model’s native size. Every other field is ignored and listed in info.ignored_fields.',
          tags: ['sdapi'],
          body: SdTxt2ImgRequestSchema,
          response: { 200: SdImagesResponseSchema, 400: error, 422: error, 503: error },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const raw = request.body as Record<string, unknown>;
        try {
          const model = await pickModel(app, checkpointOf(body) ?? jobs.checkpoint, ['generate']);
          return await run(app, jobs, request, reply, {
            step: sdTxt2ImgStep(body, model.id),
            model,
            ignored: sdIgnoredFields(raw, 'txt2img'),
            parameters: body,
          });
        } catch (e) {
          throw fieldError(e);
        }
      },
    );

    app.post(
      '/sdapi/v1/img2img',
      {
        config: { rateLimit: {} },
        ...admissionHooks(app),
        bodyLimit: 2 * uploadBodyLimit(app.config),
        schema: {
          summary: 'Image to image and inpainting (Stable Diffusion web UI API)',
          description:
            'A1111’s img2img body: the first of init_images; with `mask` (white = repaint; inpainting_mask_invert 1 repaints the black part) Loupe’s `inpaint`, on an InstructPix2Pix model `instruct` (image_cfg_scale), else `img2img` (denoising_strength). The picture keeps its size; mask_blur feathers the mask. Every other field is ignored and listed in info.ignored_fields.',
          tags: ['sdapi'],
          body: SdImg2ImgRequestSchema,
          response: {
            200: SdImagesResponseSchema,
            400: error,
            413: error,
            415: error,
            422: error,
            503: error,
          },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const raw = request.body as Record<string, unknown>;
        try {
          const ops: GenerativeOpId[] = body.mask ? ['inpaint'] : ['img2img', 'instruct'];
          const model = await pickModel(app, checkpointOf(body) ?? jobs.checkpoint, ops);
          const extra = [...(body.init_images.length > 1 ? ['init_images[1…]'] : [])];
          const { init_images: _images, mask: _mask, ...parameters } = body;
          return await run(app, jobs, request, reply, {
            step: sdImg2ImgStep(body, model),
            model,
            bytes: base64Bytes(body.init_images[0]!),
            ...(body.mask ? { maskBytes: base64Bytes(body.mask) } : {}),
            ...(body.mask && body.inpainting_mask_invert === 1 ? { invertMask: true } : {}),
            ignored: sdIgnoredFields(raw, 'img2img', extra),
            parameters,
          });
        } catch (e) {
          throw fieldError(e);
        }
      },
    );
  };
}

function checkpointOf(body: { override_settings?: { sd_model_checkpoint?: string } | undefined }) {
  return body.override_settings?.sd_model_checkpoint;
}
