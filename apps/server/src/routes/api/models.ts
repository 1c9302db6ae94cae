import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ErrorBodySchema,
  LICENSES,
  LoupeError,
  MODEL_IDS,
  MODELS,
  installHint,
  ModelsResponseSchema,
  RescanResponseSchema,
} from '@loupe/shared';

/**
 * The manifest with each model's title, license (copyleft flagged) and where it lives right
 * now, and beside it the user's diffusion folders (LOUPE_DIFFUSION_DIR) as last read.
 */
const models: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/models',
    {
      config: { rateLimit: {} },
      schema: {
        summary: 'Built models, licenses and residency; diffusion folders',
        response: { 200: ModelsResponseSchema, 503: ErrorBodySchema },
      },
    },
    async () => {
      const check = await app.checkModels();
      if (!check.ok) throw new LoupeError('MODEL_UNAVAILABLE', check.reason);
      const problems = new Map(check.problems.map((p) => [p.id, p.reason]));
      const residency = new Map(app.supervisor.residency().map((r) => [r.id, r]));
      return {
        models: check.manifest.models.map((entry) => {
          const { id: _id, ...where } = residency.get(entry.id) ?? {
            id: entry.id,
            residency: 'unloaded' as const,
            idleSeconds: null,
            inUse: 0,
            counters: { loads: 0, offloads: 0, reloads: 0, releases: 0 },
          };
          return {
            ...entry,
            title: MODELS[entry.id].title,
            copyleft: LICENSES[entry.license].copyleft,
            residency: where,
            ...(problems.has(entry.id) ? { problem: problems.get(entry.id)! } : {}),
          };
        }),
        notInstalled: MODEL_IDS.filter((id) => !check.manifest.models.some((m) => m.id === id)).map(
          (id) => ({
            id,
            title: MODELS[id].title,
            family: MODELS[id].family,
            install: installHint(id),
          }),
        ),
        diffusion: await app.diffusionModels.list(),
      };
    },
  );

  app.post(
    '/api/models/rescan',
    {
      config: { rateLimit: {} },
      schema: {
        summary: 'Read LOUPE_DIFFUSION_DIR again',
        description:
          'Inspects every subfolder of LOUPE_DIFFUSION_DIR (graph headers, configs, license; files hashed only when changed) and answers the new list. Unusable folders are listed with the reason.',
        response: { 200: RescanResponseSchema },
      },
    },
    async () => ({ diffusion: await app.diffusionModels.rescan() }),
  );
};

export default models;
