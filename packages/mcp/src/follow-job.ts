import { LoupeError, type Job, type Progress } from '@loupe/shared';
import type { LoupeClient } from '@loupe/client';

/**
 * Follows a job on the server to its end through its event stream and answers the final job.
 * When `signal` aborts (the MCP client cancelled the request) the job is cancelled on the
 * server, so that a cancel in the client frees the GPU rather than leaving the job running.
 *
 * @throws LoupeError('CANCELLED') after an abort, once the server was told.
 */
export async function followJob(
  client: LoupeClient,
  id: string,
  signal: AbortSignal,
  onProgress: (progress: Progress | undefined, state: 'queued' | 'running') => void,
): Promise<Job> {
  try {
    if (signal.aborted) throw new LoupeError('CANCELLED');
    for await (const event of client.jobEvents(id, { signal })) {
      if (event.type === 'queued') onProgress(undefined, 'queued');
      else if (event.type === 'started') onProgress(undefined, 'running');
      else if (event.type === 'progress') onProgress(event.progress, 'running');
    }
  } catch (e) {
    if (!signal.aborted) throw e;
    // Without the aborted signal: this request must still reach the server.
    await client.cancelJob(id);
    throw new LoupeError('CANCELLED', `Cancelled by the client; job ${id} was cancelled`);
  }
  return client.job(id);
}

/** The job's work so far as a fraction (0 before the first progress event). */
export function fractionDone(progress: Progress | undefined): number {
  return progress && progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
}
