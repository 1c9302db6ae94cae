import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ErrorBodySchema,
  GpuActionRequestSchema,
  GpuActionResponseSchema,
  GpuStatusSchema,
} from '@loupe/shared';
import { readDeviceMemory } from '../../inference/device-memory';
import type { ResidencyAction } from '../../inference/protocol';

/**
 * The GPU manager's view: EP and why, workers, each model's residency, queue and expected wait,
 * measured throughput; manual offload/release.
 */
const gpu: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/gpu/status',
    {
      config: { rateLimit: {} },
      schema: {
        summary: 'Execution provider, device, workers, model residency, queue',
        response: { 200: GpuStatusSchema },
      },
    },
    async () => {
      const { supervisor, jobs, config } = app;
      const reporting = supervisor.firstReady;
      const choice = reporting?.choice;
      const ep = choice?.ep ?? 'cpu';
      return {
        ep,
        epReason: choice ? choice.reason : 'workers starting',
        device: {
          name: choice?.device ?? 'unknown',
          memory: await readDeviceMemory(ep, reporting?.index ?? 0),
        },
        workers: supervisor.workers.map((w, index) => ({
          index,
          pid: w?.pid ?? null,
          state: w?.state ?? 'dead',
          restarts: supervisor.restarts[index] ?? 0,
        })),
        models: supervisor.residency(),
        queue: {
          depth: jobs.depth,
          running: jobs.runningCount,
          concurrency: config.LOUPE_WORKERS,
          capacity: config.LOUPE_QUEUE_MAX,
          expectedWaitMs: jobs.expectedWaitMs,
        },
        idleOffloadSeconds: config.LOUPE_IDLE_OFFLOAD_S,
        throughput: { compute: jobs.throughput.report() },
      };
    },
  );

  const action = (name: ResidencyAction, summary: string) =>
    app.post(
      `/api/gpu/${name}`,
      {
        config: { rateLimit: {} },
        schema: {
          summary,
          // An empty body (the JSON parser's `undefined`) or `null` means every model.
          body: GpuActionRequestSchema.nullish(),
          response: { 200: GpuActionResponseSchema, 504: ErrorBodySchema },
        },
      },
      async (request) => app.supervisor.applyResidency(name, request.body?.models),
    );
  action(
    'offload',
    'Release device sessions of idle models, keeping their bytes in RAM for a fast reload',
  );
  action('release', 'Drop idle models entirely (sessions and bytes); models in use are skipped');
};

export default gpu;
