import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { extrasRoutes } from './extras';
import { generationRoutes } from './generation';
import { SdJobs } from './sd-jobs';
import { statusRoutes } from './status';

/**
 * The Stable Diffusion web UI's `/sdapi/v1` API (A1111), mapped onto Loupe's ops, queue,
 * limits and auth: txt2img, img2img (mask → inpaint), extra-single-image, progress with
 * `current_image`, interrupt, samplers, upscalers, sd-models, options. One `SdJobs` holds what
 * that API treats as server state (the current job, the current checkpoint).
 */
const sdapi: FastifyPluginAsyncZod = async (app) => {
  const jobs = new SdJobs();
  await app.register(generationRoutes(jobs));
  await app.register(extrasRoutes);
  await app.register(statusRoutes(jobs));
};

export default sdapi;
