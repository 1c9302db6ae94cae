import { z } from 'zod';
import { ExecutionProviderSchema } from './execution';
import { ModelResidencySchema } from './models';
import { RateSchema } from '../placement/rates';

/**
 * What can be done to idle models by hand: `offload` drops device sessions and keeps the bytes
 * in RAM for a fast reload, `release` drops both.
 */
export const RESIDENCY_ACTIONS = ['offload', 'release'] as const;
export type ResidencyAction = (typeof RESIDENCY_ACTIONS)[number];
export const ResidencyActionSchema = z.enum(RESIDENCY_ACTIONS);

/**
 * The life of one inference child: `starting` until its handshake, then `idle`/`busy`; `dead`
 * once it exits (the supervisor restarts it); `incompatible` when it speaks another protocol
 * version, which a restart cannot fix (the server and dist/worker.js come from different builds).
 */
export const WORKER_STATES = ['starting', 'idle', 'busy', 'dead', 'incompatible'] as const;
export type WorkerState = (typeof WORKER_STATES)[number];

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
      state: z.enum(WORKER_STATES),
      restarts: z.number(),
    }),
  ),
  models: z.array(ModelResidencySchema),
  queue: z.object({
    depth: z.number(),
    running: z.number(),
    concurrency: z.number(),
    capacity: z.number(),
    /** How long a job submitted now would wait for a worker, from recent run times. */
    expectedWaitMs: z.number().nonnegative().optional(),
  }),
  idleOffloadSeconds: z.number(),
  /** How fast this server has been: what a client weighs against its own device. */
  throughput: z
    .object({
      /**
       * FLOP/s of recent runs whose models were already loaded, by rate key (a model id, or
       * `op:<id>` for a step that runs no model); runs too short to say much are left out.
       */
      compute: z.record(z.string(), RateSchema),
    })
    .optional(),
});
export type GpuStatus = z.infer<typeof GpuStatusSchema>;

export const GpuActionRequestSchema = z.object({
  /** Limit the action to these models; all models when omitted. */
  models: z.array(z.string()).optional(),
});
export const GpuActionResponseSchema = z.object({
  action: ResidencyActionSchema,
  affected: z.array(z.string()),
  skippedInUse: z.array(z.string()),
});
export type GpuActionResponse = z.infer<typeof GpuActionResponseSchema>;
