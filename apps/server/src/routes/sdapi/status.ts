import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ErrorBodySchema,
  LoupeError,
  SdModelSchema,
  SdProgressResponseSchema,
  SdSamplerSchema,
  SdUpscalerSchema,
  sdCheckpointId,
  sdModel,
  sdModelTitle,
  sdSamplers,
  sdUpscalers,
  type SdProgressResponse,
} from '@loupe/shared';
import { isTerminal, type JobRecord } from '../../jobs/job';
import { a1111Timestamp } from './generation';
import type { SdJobs } from './sd-jobs';

const IDLE_STATE = {
  skipped: false,
  interrupted: false,
  job: '',
  job_count: 0,
  job_timestamp: '0',
  job_no: 0,
  sampling_step: 0,
  sampling_steps: 0,
};

/**
 * A1111's progress of the dialect's current job: the fraction of denoising steps done, the
 * step within the current picture, and `current_image` from Loupe's step previews (the field
 * that web UI's own users report as always empty when live previews are off).
 */
function progressOf(
  jobs: SdJobs,
  job: JobRecord | undefined,
  withImage: boolean,
): SdProgressResponse {
  if (!job || isTerminal(job))
    return {
      progress: 0,
      eta_relative: 0,
      state: {
        ...IDLE_STATE,
        ...(job
          ? {
              job: job.id,
              interrupted: jobs.wasInterrupted(job),
              job_timestamp: a1111Timestamp(job.startedAt ?? job.createdAt),
            }
          : {}),
      },
      current_image: null,
      textinfo: null,
    };
  const p = job.progress;
  const count = job.request.steps.reduce(
    (n, s) => Math.max(n, 'count' in s.params ? Number(s.params.count) : 1),
    1,
  );
  const total = p?.total ?? 0;
  const perImage = total > 0 ? Math.max(1, Math.round(total / count)) : 0;
  const done = p?.done ?? 0;
  const preview =
    withImage && job.preview ? Buffer.from(job.preview.bytes).toString('base64') : null;
  return {
    progress: total > 0 ? Math.min(1, done / total) : 0,
    eta_relative: (p?.etaMs ?? 0) / 1000,
    state: {
      skipped: false,
      interrupted: jobs.wasInterrupted(job),
      job: job.id,
      job_count: jobs.pending(),
      job_timestamp: a1111Timestamp(job.startedAt ?? job.createdAt),
      job_no: perImage ? Math.min(count - 1, Math.floor(done / perImage)) : 0,
      sampling_step: perImage
        ? done - Math.min(count - 1, Math.floor(done / perImage)) * perImage
        : 0,
      sampling_steps: perImage,
    },
    current_image: preview,
    textinfo: job.state === 'queued' ? 'Queued' : (p?.stage ?? null),
  };
}

const OptionsSchema = z.looseObject({
  sd_model_checkpoint: z
    .string({ error: 'sd_model_checkpoint must be a model title or name' })
    .optional(),
});

/** The dialect's read routes, its interrupt, and the one option Loupe has (the checkpoint). */
export function statusRoutes(jobs: SdJobs): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/sdapi/v1/progress',
      {
        schema: {
          summary: 'Progress of the current job (Stable Diffusion web UI API)',
          tags: ['sdapi'],
          querystring: z.object({
            skip_current_image: z
              .enum(['true', 'false'], { error: 'skip_current_image must be true or false' })
              .default('false'),
          }),
          response: { 200: SdProgressResponseSchema },
        },
      },
      async (request) =>
        progressOf(jobs, jobs.current(), request.query.skip_current_image === 'false'),
    );

    app.post(
      '/sdapi/v1/interrupt',
      {
        schema: {
          summary: 'Stop the running job (Stable Diffusion web UI API)',
          description:
            'Cancels the dialect’s running jobs between denoising steps; their txt2img/img2img requests answer with no images and info.interrupted = true.',
          tags: ['sdapi'],
          response: { 200: z.object({}) },
        },
      },
      async () => {
        for (const job of jobs.interrupt())
          app.jobs.cancel(job, 'interrupted (POST /sdapi/v1/interrupt)');
        return {};
      },
    );

    app.get(
      '/sdapi/v1/samplers',
      {
        schema: {
          summary: 'Samplers',
          tags: ['sdapi'],
          response: { 200: z.array(SdSamplerSchema) },
        },
      },
      async () => sdSamplers(),
    );

    app.get(
      '/sdapi/v1/upscalers',
      {
        schema: {
          summary: 'Upscalers',
          tags: ['sdapi'],
          response: { 200: z.array(SdUpscalerSchema) },
        },
      },
      async () => sdUpscalers(),
    );

    app.get(
      '/sdapi/v1/sd-models',
      {
        schema: {
          summary: 'Diffusion models (Stable Diffusion web UI API)',
          description:
            'The usable folders of LOUPE_DIFFUSION_DIR as A1111 checkpoints: `title` is what override_settings.sd_model_checkpoint takes; `filename` is the folder id, never a server path.',
          tags: ['sdapi'],
          response: { 200: z.array(SdModelSchema) },
        },
      },
      async () => {
        const catalog = await app.diffusionModels.list();
        return catalog.models.flatMap((m) => (m.status === 'ready' ? [sdModel(m)] : []));
      },
    );

    app.get(
      '/sdapi/v1/options',
      {
        schema: {
          summary: 'Options (only sd_model_checkpoint)',
          tags: ['sdapi'],
          response: { 200: z.object({ sd_model_checkpoint: z.string().nullable() }) },
        },
      },
      async () => {
        const catalog = await app.diffusionModels.list();
        const id = jobs.checkpoint ?? catalog.models.find((m) => m.status === 'ready')?.id;
        const found = catalog.models.find((m) => m.id === id && m.status === 'ready');
        return {
          sd_model_checkpoint: found && found.status === 'ready' ? sdModelTitle(found) : null,
        };
      },
    );

    app.post(
      '/sdapi/v1/options',
      {
        schema: {
          summary: 'Set the current checkpoint',
          description:
            'Takes `sd_model_checkpoint` (a title, name or folder id from GET /sdapi/v1/sd-models) for later requests that name none; every other option is ignored.',
          tags: ['sdapi'],
          body: OptionsSchema,
          response: { 200: z.null(), 400: ErrorBodySchema },
        },
      },
      async (request) => {
        const checkpoint = request.body.sd_model_checkpoint;
        if (checkpoint !== undefined) {
          const id = sdCheckpointId(checkpoint);
          const catalog = await app.diffusionModels.list();
          if (!catalog.models.some((m) => m.id === id && m.status === 'ready')) {
            const why = `no usable model ${checkpoint} (GET /sdapi/v1/sd-models lists them)`;
            throw new LoupeError('INVALID_PARAMS', why, [
              { path: 'sd_model_checkpoint', message: why },
            ]);
          }
          jobs.checkpoint = id;
        }
        return null;
      },
    );
  };
}
