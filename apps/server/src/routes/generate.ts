import { finished } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  EditOptionsSchema,
  ErrorBodySchema,
  GenerateRequestSchema,
  GenerateResponseSchema,
  LoupeError,
  modelVersion,
  type GenerateResponse,
  foldersFor,
} from '@loupe/shared';
import { awaitJob } from './api/await-job';
import { disposeResult, resultBytes } from '../jobs/result-body';
import { CONFIGURE_DIFFUSION } from './api/diffusion-steps';
import { admissionHooks, clientGone, submitEdit } from './api/edit-request';

const error = ErrorBodySchema;

/**
 * POST /generate: text to image in the shape of the Stable Diffusion REST API Loupe was designed
 * from, mapped onto the `generate` op. Same queue, limits, auth and rate limit as /api/edit; its
 * 400s name its own (snake_case) fields.
 */
const generate: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/generate',
    {
      config: { rateLimit: {} },
      ...admissionHooks(app),
      schema: {
        summary: 'Generate an image from a prompt (Stable Diffusion REST shape)',
        description:
          'JSON `{prompt, negative_prompt, steps, width, height, seed, guidance_scale, scheduler, model}`; answers the PNG as base64 with what ran. ' +
          'Omitted: width/height → the model’s native size, seed → random (returned), model → the first usable folder of LOUPE_DIFFUSION_DIR that does text to image.',
        consumes: ['application/json'],
        // Refusals name this route's fields: `body.guidance_scale` (guidance_scale must be at most 30).
        body: GenerateRequestSchema,
        response: { 200: GenerateResponseSchema, 400: error, 422: error, 503: error },
      },
    },
    async (request, reply): Promise<GenerateResponse> => {
      const receivedAt = performance.now();
      const signal = clientGone(reply);
      const body = request.body;
      const model = body.model ?? (await defaultModel());
      const options = EditOptionsSchema.parse({
        op: 'generate',
        params: {
          model,
          prompt: body.prompt,
          negativePrompt: body.negative_prompt,
          steps: body.steps,
          guidance: body.guidance_scale,
          ...(body.width !== undefined ? { width: body.width } : {}),
          ...(body.height !== undefined ? { height: body.height } : {}),
          ...(body.seed !== undefined ? { seed: body.seed } : {}),
          ...(body.scheduler !== undefined ? { scheduler: body.scheduler } : {}),
        },
        format: 'png',
      });
      const job = await submitEdit(
        app,
        request,
        { bytes: undefined, options },
        { retain: false, receivedAt, signal },
      );
      await awaitJob(app, job, signal, { what: 'generation' });
      const generation = job.metadata?.generation;
      if (job.state !== 'succeeded' || !job.result || !job.metadata || !generation)
        throw new LoupeError(
          job.error?.code ?? 'INTERNAL',
          job.error?.message ?? 'The generation failed',
        );
      const result = job.result;
      finished(reply.raw, () => void disposeResult(result));
      return {
        image_base64: (await resultBytes(result)).toString('base64'),
        metadata: {
          prompt: generation.prompt,
          negative_prompt: generation.negativePrompt,
          steps: generation.requestedSteps,
          width: job.metadata.output.width,
          height: job.metadata.output.height,
          seed: generation.seeds[0]!,
          guidance_scale: generation.guidance,
          scheduler: generation.scheduler,
          generation_time_seconds: job.metadata.timings.inferMs / 1000,
          model_version: modelVersion(generation.model, generation.modelSha256),
        },
      };
    },
  );

  /** The first usable folder that does text to image, or a 422 saying how to configure one. */
  async function defaultModel(): Promise<string> {
    const catalog = await app.diffusionModels.list();
    const first = foldersFor(catalog, 'generate')[0];
    if (first) return first.id;
    const why = !catalog.configured
      ? `no diffusion models are configured: ${CONFIGURE_DIFFUSION}`
      : `LOUPE_DIFFUSION_DIR has no usable model that does text to image (${catalog.models.length} folders; see GET /api/models for why each is unusable, and docs/diffusion-models.md)`;
    throw new LoupeError('MODEL_UNAVAILABLE', why, [{ path: 'model', message: why }]);
  }
};

export default generate;
