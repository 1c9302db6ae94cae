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
  attempts: z.number().int().nonnegative(),
});
export type Job = z.infer<typeof JobSchema>;

export const CreateJobResponseSchema = z.object({ id: z.string(), state: z.enum(JOB_STATES) });

/** Optional job field: POSTed the final job (signed) when it ends. */
export const CallbackUrlSchema = z.url({ protocol: /^https?$/ });
export const CALLBACK_SIGNATURE_HEADER = 'x-loupe-signature';
export const CALLBACK_TIMESTAMP_HEADER = 'x-loupe-timestamp';
