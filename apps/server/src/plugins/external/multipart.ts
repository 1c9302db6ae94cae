import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';

/** A form field's limit: `steps` of the longest pipeline fit many times over. */
export const MULTIPART_FIELD_BYTES = 256 * 1024;

/**
 * One image file (and a mask, for ops that take one) plus a handful of small fields; anything
 * beyond is refused while streaming.
 */
export default fp(
  async (app) => {
    await app.register(multipart, {
      limits: {
        fileSize: app.config.LOUPE_MAX_UPLOAD_BYTES,
        files: 2,
        fields: 8,
        parts: 11,
        fieldSize: MULTIPART_FIELD_BYTES,
        headerPairs: 100,
      },
    });
  },
  { name: 'multipart', dependencies: ['config'] },
);
