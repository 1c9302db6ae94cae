import { finished } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  EditOptionsSchema,
  ErrorBodySchema,
  SdExtraSingleImageRequestSchema,
  SdExtraSingleImageResponseSchema,
  sdExtrasStep,
  sdIgnoredFields,
} from '@loupe/shared';
import { disposeResult, resultBytes } from '../../jobs/result-body';
import {
  admissionHooks,
  base64Bytes,
  clientGone,
  submitEdit,
  uploadBodyLimit,
} from '../api/edit-request';
import { awaitJob } from '../api/await-job';
import { fieldError } from './generation';

const error = ErrorBodySchema;

/** POST /sdapi/v1/extra-single-image: Loupe's upscalers (ESRGAN, or a plain resample). */
export const extrasRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/sdapi/v1/extra-single-image',
    {
      config: { rateLimit: {} },
      ...admissionHooks(app),
      bodyLimit: uploadBodyLimit(app.config),
      schema: {
        summary: 'Upscale one image (Stable Diffusion web UI API)',
        description:
          'A1111’s extras body: `image` (base64), `upscaler_1` (a name from GET /sdapi/v1/upscalers), `upscaling_resize` (2, 3, 4 or 8; resize_mode 0). Face restoration and the second upscaler are ignored and listed in html_info. Transparency is kept.',
        tags: ['sdapi'],
        body: SdExtraSingleImageRequestSchema,
        response: {
          200: SdExtraSingleImageResponseSchema,
          400: error,
          413: error,
          415: error,
          422: error,
          503: error,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        const step = sdExtrasStep(body);
        const signal = clientGone(reply);
        const job = await submitEdit(
          app,
          request,
          {
            bytes: base64Bytes(body.image),
            options: EditOptionsSchema.parse({ op: step.op, params: step.params, format: 'png' }),
          },
          { retain: false, receivedAt: performance.now(), signal },
        );
        await awaitJob(app, job, signal, { what: 'upscale' });
        const result = job.result!;
        finished(reply.raw, () => void disposeResult(result));
        const { input, output } = job.metadata!;
        const ignored = sdIgnoredFields(
          request.body as Record<string, unknown>,
          'extra-single-image',
        );
        const html =
          `<p>${body.upscaler_1} ×${body.upscaling_resize} (Loupe ${step.op}): ` +
          `${input.width}×${input.height} → ${output.width}×${output.height}</p>` +
          (ignored.length ? `<p>Ignored: ${ignored.join(', ')}</p>` : '');
        return { html_info: html, image: (await resultBytes(result)).toString('base64') };
      } catch (e) {
        throw fieldError(e);
      }
    },
  );
};
