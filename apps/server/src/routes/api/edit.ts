import { finished } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  EditJsonBodySchema,
  EditJsonResponseSchema,
  ErrorBodySchema,
  METADATA_HEADER,
  RESULT_COUNT_HEADER,
} from '@loupe/shared';
import { resultsOf } from '../../jobs/job';
import { awaitJob } from './await-job';
import { disposeResult, resultBody, resultBytes } from '../../jobs/result-body';
import { BinaryBody } from '../../schema';
import {
  admissionHooks,
  clientGone,
  readEditInput,
  submitEdit,
  uploadBodyLimit,
} from './edit-request';

const errors = {
  400: ErrorBodySchema,
  413: ErrorBodySchema,
  415: ErrorBodySchema,
  422: ErrorBodySchema,
  503: ErrorBodySchema,
};

/**
 * POST /api/edit: one request, one edited image. It goes through the same queue as jobs (so it
 * is admitted, bounded and cancellable the same way) and is cancelled if the client hangs up.
 */
const edit: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/edit',
    {
      config: { rateLimit: {} },
      ...admissionHooks(app),
      bodyLimit: uploadBodyLimit(app.config),
      schema: {
        summary: 'Edit an image and wait for the result',
        description:
          'multipart/form-data with `image` (file), `op` + `params` (JSON) or `steps` (JSON array), `format`, `quality`, `compression` (fast | balanced | small; default by result size), `response`; or JSON with `image_base64`. ' +
          'Ops that take a mask (erase, inpaint) need `mask` (file; JSON: `mask_base64`): a picture the image’s size in any accepted format, white (or opaque on transparency) = change, black = keep, grey = blend; it is decoded with the image’s limits. Any other op refuses a mask (400 naming `mask`). ' +
          `Returns the image with its metadata in the \`${METADATA_HEADER}\` header, or JSON when response=json.`,
        consumes: ['multipart/form-data', 'application/json'],
        body: {
          content: { 'application/json': { schema: EditJsonBodySchema } },
        },
        response: {
          200: {
            content: {
              'application/json': { schema: EditJsonResponseSchema },
              'image/png': { schema: BinaryBody },
              'image/webp': { schema: BinaryBody },
              'image/jpeg': { schema: BinaryBody },
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
      await awaitJob(app, job, signal, { what: 'edit' });
      // Nobody else will ask for this result: it goes once the response is done with it.
      const results = resultsOf(job);
      const result = results[0]!;
      finished(reply.raw, () => void Promise.all(results.map(disposeResult)));
      if (input.options.response === 'json') {
        const images = await Promise.all(
          results.map(async (r) => (await resultBytes(r)).toString('base64')),
        );
        return reply.type('application/json').send({
          image_base64: images[0]!,
          mime: result.mime,
          metadata: job.metadata!,
          ...(images.length > 1 ? { images } : {}),
        });
      }
      // The binary answer is the first picture; the JSON answer and /api/jobs carry all of them.
      return reply
        .header(METADATA_HEADER, JSON.stringify(job.metadata!))
        .header(RESULT_COUNT_HEADER, results.length)
        .header('content-length', result.size)
        .type(result.mime)
        .send(resultBody(result));
    },
  );
};

export default edit;
