import { z } from 'zod';
import { PROTOCOL_VERSION } from '../protocol/version';
import { ProgressSchema } from './jobs';
import { ErrorPayloadSchema } from './loupe-error';
import { EditMetadataSchema } from './execution';

const base = { v: z.literal(PROTOCOL_VERSION), jobId: z.string(), at: z.string() };

/**
 * Server-sent events of `GET /api/jobs/:id/events`, one tagged union. Every job ends in
 * exactly one terminal event (completed, failed or cancelled), after which the stream closes.
 */
export const JobEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('queued'), position: z.number().int().nonnegative() }),
  z.object({ ...base, type: z.literal('started'), attempt: z.number().int().positive() }),
  z.object({ ...base, type: z.literal('progress'), progress: ProgressSchema }),
  /**
   * The latest denoising preview of a generative op, after `step` of `total`. Not replayed:
   * a stream that connects late gets the latest one after the events so far, and the same
   * image stays at GET /api/jobs/:id/preview. `image` is a data URL (JPEG, a few KB).
   */
  z.object({
    ...base,
    type: z.literal('preview'),
    step: z.number().int().nonnegative(),
    total: z.number().int().positive(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    image: z.string().startsWith('data:image/'),
  }),
  z.object({ ...base, type: z.literal('completed'), metadata: EditMetadataSchema }),
  z.object({ ...base, type: z.literal('failed'), error: ErrorPayloadSchema }),
  z.object({ ...base, type: z.literal('cancelled'), reason: z.string() }),
]);
export type JobEvent = z.infer<typeof JobEventSchema>;
export type JobEventType = JobEvent['type'];

/** Whether an event ends its job (and its stream); a new event type must say. */
export const TERMINAL_EVENTS = {
  queued: false,
  started: false,
  progress: false,
  preview: false,
  completed: true,
  failed: true,
  cancelled: true,
} as const satisfies Record<JobEventType, boolean>;
export const TERMINAL_EVENT_TYPES: readonly JobEventType[] = (
  Object.keys(TERMINAL_EVENTS) as JobEventType[]
).filter((type) => TERMINAL_EVENTS[type]);

/** `GET /api/jobs/:id/preview` names the step its image shows: `<step>/<total>`, e.g. `12/28`. */
export const PREVIEW_STEP_HEADER = 'x-loupe-preview-step';
