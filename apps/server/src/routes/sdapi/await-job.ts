import type { FastifyInstance } from 'fastify';
import { LoupeError } from '@loupe/shared';
import { isTerminal, type JobRecord } from '../../jobs/job';

/**
 * Waits for a dialect job: cancelled if the client hangs up, forgotten once it ends. Resolves
 * 'done' with a result, 'interrupted' when POST /sdapi/v1/interrupt stopped it; any other end
 * is thrown as the job's error.
 */
export async function awaitJob(
  app: FastifyInstance,
  job: JobRecord,
  signal: AbortSignal,
  interrupted: () => boolean,
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
    throw new LoupeError('CANCELLED', 'The request was cancelled');
  }
  if (job.state !== 'succeeded' || !job.result || !job.metadata)
    throw new LoupeError(job.error?.code ?? 'INTERNAL', job.error?.message ?? 'The request failed');
  return 'done';
}
