import { readdir } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Counter, Gauge } from 'prom-client';

/** What the server did, read from its own metrics: tests assert what did *not* happen with these. */
async function value(metric: Counter | Gauge): Promise<number> {
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
}

export const decodedUploads = (app: FastifyInstance) => value(app.metrics.uploadsDecoded);
export const decodingNow = (app: FastifyInstance) => value(app.metrics.uploadsDecoding);
export const jobsSubmitted = (app: FastifyInstance) => value(app.metrics.jobsSubmitted);

/** Jobs that ended with `outcome` (succeeded, failed, cancelled), any op. */
export async function jobsEnded(app: FastifyInstance, outcome: string): Promise<number> {
  return (await app.metrics.jobs.get()).values
    .filter((v) => v.labels.outcome === outcome)
    .reduce((sum, v) => sum + v.value, 0);
}

/** Files in the server's temp dir (decoded inputs and large results). */
export const tempFiles = (app: FastifyInstance) => readdir(app.supervisor.tempDir);

/** Waits for an asynchronous condition (read from the server's state), checking every 25 ms. */
export async function until(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
