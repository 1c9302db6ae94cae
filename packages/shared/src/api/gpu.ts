import { z } from 'zod';
import { ExecutionProviderSchema } from './execution';
import { ModelResidencySchema } from './models';

export const GpuStatusSchema = z.object({
  ep: ExecutionProviderSchema,
  /** Why auto selection landed here, e.g. "CUDA provider not installed; WebGPU adapter: swiftshader". */
  epReason: z.string(),
  device: z.object({
    name: z.string(),
    memory: z.object({ totalBytes: z.number(), usedBytes: z.number() }).nullable(),
  }),
  workers: z.array(
    z.object({
      index: z.number(),
      pid: z.number().nullable(),
      state: z.string(),
      restarts: z.number(),
    }),
  ),
  models: z.array(ModelResidencySchema),
  queue: z.object({
    depth: z.number(),
    running: z.number(),
    concurrency: z.number(),
    capacity: z.number(),
  }),
  idleOffloadSeconds: z.number(),
});
export type GpuStatus = z.infer<typeof GpuStatusSchema>;

export const GpuActionRequestSchema = z.object({
  /** Limit the action to these models; all models when omitted. */
  models: z.array(z.string()).optional(),
});
export const GpuActionResponseSchema = z.object({
  action: z.enum(['offload', 'release']),
  affected: z.array(z.string()),
  skippedInUse: z.array(z.string()),
});
export type GpuActionResponse = z.infer<typeof GpuActionResponseSchema>;
