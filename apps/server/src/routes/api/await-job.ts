import type { FastifyInstance } from 'fastify';
import { LoupeError } from '@loupe/shared';
import { isTerminal, type JobRecord } from '../../jobs/job';

export interface AwaitJobOptions {
  /** What the request is called in its errors: "The edit was cancelled", "The generation failed". */
  readonly what: string;
  /** True when a cancel was the dialect's interrupt (POST /sdapi/v1/interrupt), not a failure. */
  readonly interrupted?: () => boolean;
}

/**
 * Waits for a job a synchronous route submitted: cancelled if the client hangs up, forgotten
 * once it ends (nobody else asks for its result). Resolves 'done' with a result and metadata,
 * 'interrupted' when `interrupted` says the cancel was an interrupt; any other end is thrown as
 * the job's error.
 */
export async function awaitJob(
  app: FastifyInstance,
  job: JobRecord,
  signal: AbortSignal,
  { what, interrupted = () => false }: AwaitJobOptions,
): Promise<'done' | 'interrupted'> {
  const hangUp = () => {
    if (!isTerminal(job)) app.jobs.cancel(job, 'client disconnected');
  };
  signal.addEventListener('abort', hangUp);
  await job.ended;
  signal.removeEventListener('abort', hangUp);
  app.jobs.forget(job);
  if (job.state === 'cancelled') {
    if (interrupted()) return 'interrupted';
    throw new LoupeError('CANCELLED', `The ${what} was cancelled`);
  }
  if (job.state !== 'succeeded' || !job.result || !job.metadata)
    throw new LoupeError(job.error?.code ?? 'INTERNAL', job.error?.message ?? `The ${what} failed`);
  return 'done';
}
