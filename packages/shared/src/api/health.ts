import { z } from 'zod';

export const HealthSchema = z.object({ status: z.literal('ok'), uptimeSeconds: z.number() });

export const ReadySchema = z.object({
  ready: z.boolean(),
  checks: z.object({
    manifest: z.boolean(),
    workers: z.boolean(),
    ep: z.boolean(),
    draining: z.boolean(),
    deviceHealthy: z.boolean(),
  }),
  reason: z.string().optional(),
  /** Models that failed verification (missing, wrong size or sha256): the ops that need them answer MODEL_UNAVAILABLE. */
  unavailableModels: z.array(z.string()).optional(),
});
export type Ready = z.infer<typeof ReadySchema>;

export const VersionSchema = z.object({
  name: z.literal('loupe'),
  version: z.string(),
  protocol: z.number(),
  onnxruntime: z.string(),
  node: z.string(),
});
export type VersionInfo = z.infer<typeof VersionSchema>;
