import { LoupeError, type Job, type Progress } from '@loupe/shared';
import type { ImageInput, JobRequest } from '@loupe/client';
import type { ToolContext } from './context';
import { followJob } from './follow-job';

/** A job's state as it moves: what `runJob` tells its caller on every event. */
export interface JobUpdate {
  id: string;
  state: 'queued' | 'running';
  progress: Progress | undefined;
}

/**
 * Queues one edit on the server (`POST /api/jobs`) and follows it to its end: the one path
 * every image tool takes, so the tools and the HTTP API run the same jobs. Answers the final
 * job whatever its state; a job that failed is the caller's to report.
 */
export async function runJob(
  { client }: ToolContext,
  image: ImageInput | null,
  request: JobRequest,
  signal: AbortSignal,
  onUpdate: (update: JobUpdate) => void,
): Promise<Job> {
  // Not given the signal: a job created while the request was being cancelled must be known,
  // to be cancelled, rather than left running with its id lost.
  const { id, state } = await client.createJob(image, request);
  onUpdate({ id, state: state === 'queued' ? 'queued' : 'running', progress: undefined });
  return followJob(client, id, signal, (progress, state) => onUpdate({ id, state, progress }));
}

/** How the tool input names the work: `op` with `params`, or `steps`, and the encoding. */
export interface EditInput {
  op?: JobRequest['op'];
  params?: Record<string, unknown>;
  steps?: JobRequest['steps'];
  format?: JobRequest['format'];
  quality?: number;
  compression?: JobRequest['compression'];
}

/** The job request for an edit tool's input; exactly one of `op` and `steps`. */
export function editRequest(input: EditInput): JobRequest {
  const { format, quality, compression } = input;
  const encoding = { format, quality, ...(compression ? { compression } : {}) };
  if (input.op !== undefined && input.steps !== undefined)
    throw new LoupeError('INVALID_PARAMS', 'Give op (with params) or steps, not both', [
      { path: 'steps', message: 'not allowed together with op' },
    ]);
  if (input.steps !== undefined) return { steps: input.steps, ...encoding };
  if (input.op !== undefined) return { op: input.op, params: input.params ?? {}, ...encoding };
  throw new LoupeError('INVALID_PARAMS', 'Give op (with params) or steps', [
    { path: 'op', message: 'required unless steps is given' },
  ]);
}

/** `job <id>: queued` / `job <id>: denoise 12/30 steps` for a progress notification's message. */
export function describeUpdate({ id, state, progress }: JobUpdate): string {
  if (!progress) return `job ${id}: ${state}`;
  return `job ${id}: ${progress.stage} ${progress.done}/${progress.total} ${progress.unit}s`;
}
