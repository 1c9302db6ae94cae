import { z } from 'zod';
import { PROGRESS_UNITS } from '../ops/op-spec';
import { EditMetadataSchema } from './execution';
import { ErrorPayloadSchema } from './loupe-error';

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const TERMINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export const ProgressSchema = z.object({
  /** Tiles (image ops) or denoising steps (generative ops), across the whole pipeline. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  unit: z.enum(PROGRESS_UNITS),
  stage: z.string(),
  etaMs: z.number().nonnegative().optional(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const JobSchema = z.object({
  id: z.string(),
  state: z.enum(JOB_STATES),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** 0-based place in the queue while queued. */
  position: z.number().int().nonnegative().optional(),
  progress: ProgressSchema.optional(),
  error: ErrorPayloadSchema.optional(),
  metadata: EditMetadataSchema.optional(),
  /** Set while the result can still be fetched from GET /api/jobs/:id/result. */
  resultExpiresAt: z.string().optional(),
  /**
   * How many pictures the result holds while it is kept (count > 1 makes several): fetch
   * picture k with `GET /api/jobs/:id/result?index=k`.
   */
  resultCount: z.number().int().positive().optional(),
  attempts: z.number().int().nonnegative(),
});
export type Job = z.infer<typeof JobSchema>;

export const CreateJobResponseSchema = z.object({ id: z.string(), state: z.enum(JOB_STATES) });

/** Optional job field: POSTed the final job (signed) when it ends. */
export const CallbackUrlSchema = z.url({ protocol: /^https?$/ });
export const CALLBACK_SIGNATURE_HEADER = 'x-loupe-signature';
export const CALLBACK_TIMESTAMP_HEADER = 'x-loupe-timestamp';

/**
 * `GET /api/jobs/:id/result?index=k`: picture k of the result (0, the default, is the first;
 * `Job.resultCount` says how many there are).
 *
 * @example JobResultQuerySchema.parse({ index: '2' }) // { index: 2 }
 */
export const JobResultQuerySchema = z.object({
  index: z.coerce
    .number({ error: 'index must be a whole number from 0' })
    .int({ error: 'index must be a whole number from 0' })
    .nonnegative({ error: 'index must be a whole number from 0' })
    .default(0),
});
export type JobResultQuery = z.infer<typeof JobResultQuerySchema>;
