import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateJobResponseSchema,
  ErrorBodySchema,
  JobSchema,
  LoupeError,
  JobResultQuerySchema,
  PREVIEW_STEP_HEADER,
  RESULT_COUNT_HEADER,
  TERMINAL_EVENT_TYPES,
  type JobEvent,
} from '@loupe/shared';
import { checkCallbackUrl } from '../../jobs/callback';
import { isTerminal, previewEvent, resultsOf, toJob, type JobRecord } from '../../jobs/job';
import { resultBody } from '../../jobs/result-body';
import { BinaryBody } from '../../schema';
import {
  JobJsonBodySchema,
  admissionHooks,
  clientGone,
  readEditInput,
  submitEdit,
  uploadBodyLimit,
} from './edit-request';

/** The path of every /api/jobs/:id route. */
export const JobIdParams = z.object({ id: z.string().max(64) });
const error = ErrorBodySchema;

/** GET and DELETE /api/jobs/:id: the job as it is now, or 404. */
export const jobByIdSchema = {
  params: JobIdParams,
  response: { 200: JobSchema, 404: ErrorBodySchema },
};
const HEARTBEAT_MS = 15_000;

/**
 * One SSE frame. Events of the job's history carry their index as `id`, which Last-Event-ID
 * resumes from; a preview is not part of the history and carries none (the client's last id
 * stays that of the event before it).
 */
function sseFrame(event: JobEvent, index: number | undefined): string {
  const id = index === undefined ? '' : `id: ${index}\n`;
  return `${id}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Jobs: the asynchronous form of /api/edit, with progress over SSE, a fetchable result and cancel. */
const jobs: FastifyPluginAsyncZod = async (app) => {
  const find = (id: string): JobRecord => {
    const job = app.jobs.get(id);
    if (!job)
      throw new LoupeError(
        'NOT_FOUND',
        `No job ${id} (finished jobs are kept for ${app.config.LOUPE_RESULT_TTL_S} s)`,
      );
    return job;
  };

  app.post(
    '/api/jobs',
    {
      config: { rateLimit: {} },
      ...admissionHooks(app),
      bodyLimit: uploadBodyLimit(app.config),
      schema: {
        summary: 'Queue an edit',
        description:
          'Same fields as POST /api/edit (the mask included), plus an optional `callbackUrl` that receives the finished job, signed with HMAC-SHA256.',
        consumes: ['multipart/form-data', 'application/json'],
        body: {
          content: { 'application/json': { schema: JobJsonBodySchema } },
        },
        response: {
          202: CreateJobResponseSchema,
          400: error,
          413: error,
          415: error,
          422: error,
          503: error,
        },
      },
    },
    async (request, reply) => {
      const receivedAt = performance.now();
      const signal = clientGone(reply);
      const input = await readEditInput(request, true);
      if (input.callbackUrl) checkCallbackUrl(input.callbackUrl, app.callbackAllow);
      // A client that leaves before it learns the job's id could never use the job: none is made.
      const job = await submitEdit(app, request, input, { retain: true, receivedAt, signal });
      return reply
        .status(202)
        .header('location', `/api/jobs/${job.id}`)
        .send({ id: job.id, state: job.state });
    },
  );

  app.get(
    '/api/jobs/:id',
    {
      config: { rateLimit: {} },
      schema: {
        summary: 'A job and its progress',
        ...jobByIdSchema,
      },
    },
    async (request) => {
      const job = find(request.params.id);
      app.jobs.delivered(job, 'outcome');
      return toJob(job);
    },
  );

  app.delete(
    '/api/jobs/:id',
    {
      config: { rateLimit: {} },
      schema: {
        summary: 'Cancel a queued or running job',
        ...jobByIdSchema,
      },
    },
    async (request) => {
      const job = find(request.params.id);
      app.jobs.cancel(job, 'cancelled by the client');
      app.jobs.delivered(job, 'outcome');
      return toJob(job);
    },
  );

  app.get(
    '/api/jobs/:id/result',
    {
      config: { rateLimit: {} },
      schema: {
        summary: 'The encoded result of a succeeded job',
        description: `One picture (\`index\`, default 0, of the job's \`resultCount\`); the \`${RESULT_COUNT_HEADER}\` header says how many there are.`,
        params: JobIdParams,
        querystring: JobResultQuerySchema,
        response: {
          200: { content: { 'image/*': { schema: BinaryBody } } },
          404: error,
          409: error,
        },
      },
    },
    async (request, reply) => {
      const job = find(request.params.id);
      // A failed or cancelled job's answer is its outcome: the client has it either way.
      if (job.state === 'failed' || job.state === 'cancelled') app.jobs.delivered(job, 'outcome');
      if (job.state === 'cancelled') throw new LoupeError('JOB_CANCELLED', 'The job was cancelled');
      if (job.state === 'failed') throw new LoupeError(job.error!.code, job.error!.message);
      if (job.state !== 'succeeded')
        throw new LoupeError('JOB_NOT_FINISHED', `The job is ${job.state}`);
      const results = resultsOf(job);
      if (!results.length) throw new LoupeError('NOT_FOUND', 'The result has expired');
      const { index } = request.query;
      const result = results[index];
      if (!result)
        throw new LoupeError(
          'NOT_FOUND',
          `The result has ${results.length} picture${results.length > 1 ? 's' : ''}: index ${index} is not one of them`,
        );
      const delivered = () => app.jobs.delivered(job, 'result');
      reply.raw.once('finish', delivered);
      return reply
        .type(result.mime)
        .header('cache-control', 'private, max-age=60')
        .header('content-length', result.size)
        .header(RESULT_COUNT_HEADER, results.length)
        .send(resultBody(result));
    },
  );

  app.get(
    '/api/jobs/:id/preview',
    {
      config: { rateLimit: {} },
      schema: {
        summary: 'The latest denoising preview of a generative job',
        description:
          'A small JPEG of the picture as it stands after the step named in `x-loupe-preview-step` (`<step>/<total>`); 404 before the first preview, and for ops that make none.',
        params: JobIdParams,
        response: {
          200: {
            content: { 'image/jpeg': { schema: BinaryBody }, 'image/png': { schema: BinaryBody } },
          },
          404: error,
        },
      },
    },
    async (request, reply) => {
      const job = find(request.params.id);
      const preview = job.preview;
      if (!preview) throw new LoupeError('NOT_FOUND', `Job ${job.id} has no preview yet`);
      return reply
        .type(preview.mime)
        .header('cache-control', 'no-store')
        .header(PREVIEW_STEP_HEADER, `${preview.step}/${preview.total}`)
        .send(
          Buffer.from(preview.bytes.buffer, preview.bytes.byteOffset, preview.bytes.byteLength),
        );
    },
  );

  app.get(
    '/api/jobs/:id/events',
    {
      config: { rateLimit: {} },
      schema: {
        summary:
          'Server-sent events: queued, started, progress (and preview, for generative ops), then exactly one of completed, failed or cancelled',
        params: JobIdParams,
        response: {
          200: { content: { 'text/event-stream': { schema: z.string() } } },
          404: error,
        },
      },
    },
    async (request, reply) =>
      streamEvents(find(request.params.id), request.headers['last-event-id'], reply),
  );

  function streamEvents(
    job: JobRecord,
    lastEventId: string | string[] | undefined,
    reply: FastifyReply,
  ): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies (nginx) must not buffer progress events.
      'x-accel-buffering': 'no',
    });
    const resumeAfter = Number(Array.isArray(lastEventId) ? lastEventId[0] : (lastEventId ?? -1));
    job.events.forEach((event, i) => {
      if (i > resumeAfter) res.write(sseFrame(event, i));
    });
    const latest = isTerminal(job) ? undefined : previewEvent(job);
    if (latest) res.write(sseFrame(latest, undefined));
    if (isTerminal(job)) {
      res.end();
      app.jobs.delivered(job, 'outcome');
      return;
    }
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    const unsubscribe = app.jobs.subscribe(job, (event) => {
      res.write(sseFrame(event, event.type === 'preview' ? undefined : job.events.length - 1));
      if (TERMINAL_EVENT_TYPES.includes(event.type)) {
        stop();
        res.end(() => app.jobs.delivered(job, 'outcome'));
      }
    });
    res.once('close', stop);
  }
};

export default jobs;
