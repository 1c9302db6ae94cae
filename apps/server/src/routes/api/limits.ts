import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { INPUT_FORMATS } from '@loupe/runtime-node/image-codec';
import { imageFormatInfo, UploadLimitsSchema, type UploadLimits } from '@loupe/shared';
import type { Config } from '../../config';

/** The limits this server enforces, from its own configuration: what it says is what it checks. */
export function uploadLimits(config: Config): UploadLimits {
  return {
    formats: INPUT_FORMATS.map(imageFormatInfo),
    maxUploadBytes: config.LOUPE_MAX_UPLOAD_BYTES,
    maxInputPixels: config.LOUPE_MAX_INPUT_PIXELS,
    maxOutputPixels: config.LOUPE_MAX_OUTPUT_PIXELS,
    maxWebpOutputPixels: config.LOUPE_MAX_WEBP_OUTPUT_PIXELS,
  };
}

/**
 * What uploads the server accepts, so a client refuses a file before sending it. Needs the
 * token like the rest of /api: a client that may not upload has nothing to check (the web app
 * then assumes the shared defaults). Not rate-limited: computed once, like /api/ops.
 */
const limits: FastifyPluginAsyncZod = async (app) => {
  const body = uploadLimits(app.config);
  app.get(
    '/api/limits',
    {
      schema: {
        summary: 'Accepted upload formats and size limits, as this server is configured',
        response: { 200: UploadLimitsSchema },
      },
    },
    async () => body,
  );
};

export default limits;
