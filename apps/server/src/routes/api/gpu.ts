import type { FastifyPluginAsync } from 'fastify';
import {
  ErrorBodySchema,
  GpuActionRequestSchema,
  GpuActionResponseSchema,
  GpuStatusSchema,
  type GpuActionResponse,
  type GpuStatus,
} from '@loupe/shared';
import type { z } from 'zod';
import { readDeviceMemory } from '../../inference/device-memory';
import type { ResidencyAction } from '../../inference/protocol';
import { jsonSchema } from '../../schema';

type ActionBody = z.infer<typeof GpuActionRequestSchema>;

/** The GPU manager's view: EP and why, workers, each model's residency, queue; manual offload/release. */
const gpu: FastifyPluginAsync = async (app) => {
  app.get<{ Reply: GpuStatus }>(
    '/api/gpu/status',
    {
      config: { rateLimit: {} },
      schema: {
        summary: 'Execution provider, device, workers, model residency, queue',
        response: { 200: jsonSchema(GpuStatusSchema) },
      },
    },
    async () => {
      const { supervisor, jobs, config } = app;
      const choice = supervisor.firstReady?.choice;
      const ep = choice?.ep ?? 'cpu';
      return {
        ep,
        epReason: choice ? choice.reason : 'workers starting',
        device: { name: choice?.device ?? 'unknown', memory: await readDeviceMemory(ep) },
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
        },
        idleOffloadSeconds: config.LOUPE_IDLE_OFFLOAD_S,
      };
    },
  );

  const action = (name: ResidencyAction, summary: string) =>
    app.post<{ Body: ActionBody | undefined; Reply: GpuActionResponse }>(
      `/api/gpu/${name}`,
      {
        config: { rateLimit: {} },
        schema: {
          summary,
          body: { anyOf: [jsonSchema(GpuActionRequestSchema, 'input'), { type: 'null' }] },
          response: { 200: jsonSchema(GpuActionResponseSchema), 504: jsonSchema(ErrorBodySchema) },
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
