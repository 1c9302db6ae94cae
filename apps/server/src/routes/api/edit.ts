import { finished } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import {
  EditJsonBodySchema,
  EditJsonResponseSchema,
  ErrorBodySchema,
  LoupeError,
  METADATA_HEADER,
  type EditJsonResponse,
} from '@loupe/shared';
import { isTerminal } from '../../jobs/job';
import { disposeResult, resultBody, resultBytes } from '../../jobs/result-body';
import { jsonSchema } from '../../schema';
import {
  admissionHooks,
  clientGone,
  readEditInput,
  submitEdit,
  uploadBodyLimit,
} from './edit-request';

const errors = {
  400: jsonSchema(ErrorBodySchema),
  413: jsonSchema(ErrorBodySchema),
  415: jsonSchema(ErrorBodySchema),
  422: jsonSchema(ErrorBodySchema),
  503: jsonSchema(ErrorBodySchema),
};

/**
 * POST /api/edit: one request, one edited image. It goes through the same queue as jobs (so it
 * is admitted, bounded and cancellable the same way) and is cancelled if the client hangs up.
 */
const edit: FastifyPluginAsync = async (app) => {
  app.post(
    '/api/edit',
    {
      config: { rateLimit: {} },
      ...admissionHooks(app),
      bodyLimit: uploadBodyLimit(app.config),
      schema: {
        summary: 'Edit an image and wait for the result',
        description:
          'multipart/form-data with `image` (file), `op` + `params` (JSON) or `steps` (JSON array), `format`, `quality`, `response`; or JSON with `image_base64`. ' +
          `Returns the image with its metadata in the \`${METADATA_HEADER}\` header, or JSON when response=json.`,
        consumes: ['multipart/form-data', 'application/json'],
        body: {
          content: { 'application/json': { schema: jsonSchema(EditJsonBodySchema, 'input') } },
        },
        response: {
          200: {
            content: {
              'application/json': { schema: jsonSchema(EditJsonResponseSchema) },
              'image/png': { schema: { type: 'string', format: 'binary' } },
              'image/webp': { schema: { type: 'string', format: 'binary' } },
              'image/jpeg': { schema: { type: 'string', format: 'binary' } },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const receivedAt = performance.now();
      // Watched from the first byte: a client that leaves while its upload is read or decoded
      // gets no job; one that leaves later gets its job cancelled, queued or running.
      const signal = clientGone(reply);
      const input = await readEditInput(request, false);
      const job = await submitEdit(app, request, input, { retain: false, receivedAt, signal });
      const hangUp = () => {
        if (!isTerminal(job)) app.jobs.cancel(job, 'client disconnected');
      };
      signal.addEventListener('abort', hangUp);
      await job.ended;
      signal.removeEventListener('abort', hangUp);
      app.jobs.forget(job);
      if (job.state === 'cancelled') throw new LoupeError('CANCELLED', 'The edit was cancelled');
      if (job.state !== 'succeeded' || !job.result || !job.metadata) {
        throw new LoupeError(
          job.error?.code ?? 'INTERNAL',
          job.error?.message ?? 'The edit failed',
        );
      }
      // Nobody else will ask for this result: it goes once the response is done with it.
      const result = job.result;
      finished(reply.raw, () => void disposeResult(result));
      if (input.options.response === 'json') {
        const body: EditJsonResponse = {
          image_base64: (await resultBytes(result)).toString('base64'),
          mime: result.mime,
          metadata: job.metadata,
        };
        return reply.type('application/json').send(body);
      }
      return reply
        .header(METADATA_HEADER, JSON.stringify(job.metadata))
        .header('content-length', result.size)
        .type(result.mime)
        .send(resultBody(result));
    },
  );
};

export default edit;
