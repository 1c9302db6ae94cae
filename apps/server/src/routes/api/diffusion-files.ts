import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBodySchema, LoupeError } from '@loupe/shared';
import { BinaryBody } from '../../schema';

const FileParams = z.object({ id: z.string().min(1).max(255), '*': z.string().min(1).max(1000) });

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range of a file of `size` bytes; null when unusable. */
export function parseRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix > 0 ? { start: Math.max(0, size - suffix), end: size - 1 } : null;
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start <= end && start < size ? { start, end } : null;
}

/**
 * The files of a ready diffusion folder, for the browser worker to build its sessions from:
 * exactly the paths the last scan listed (no other name resolves, so nothing outside the folder
 * can be reached), ETag = the file's sha256 from that scan, cached for good since a changed file
 * is a new sha256 (the worker keys its Cache Storage by it). Single byte ranges are served.
 */
const diffusionFiles: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/models/diffusion/:id/files/*',
    {
      config: { rateLimit: {} },
      schema: {
        summary: 'A file of a diffusion folder, as the last scan listed it',
        description:
          "Only paths in the folder's `files` list from GET /api/models (a ready folder) are served; any other path is 404. `ETag` is the file's sha256; `Range: bytes=a-b` is honoured.",
        params: FileParams,
        response: {
          200: { content: { 'application/octet-stream': { schema: BinaryBody } } },
          206: { content: { 'application/octet-stream': { schema: BinaryBody } } },
          304: z.null(),
          404: ErrorBodySchema,
          416: ErrorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const { id, '*': path } = request.params;
      const catalog = await app.diffusionModels.list();
      const folder = catalog.models.find((m) => m.id === id);
      const file =
        folder?.status === 'ready' ? folder.files.find((f) => f.path === path) : undefined;
      if (!folder || folder.status !== 'ready' || !file)
        throw new LoupeError('NOT_FOUND', `Diffusion model '${id}' has no file '${path}'`);
      const full = join(app.config.LOUPE_DIFFUSION_DIR, id, file.path);
      // The folder may have changed since the scan: serve nothing whose size no longer matches.
      const now = await stat(full).catch(() => null);
      if (!now || now.size !== file.bytes)
        throw new LoupeError(
          'NOT_FOUND',
          `${id}/${path} changed since the last scan; POST /api/models/rescan`,
        );
      const etag = `"${file.sha256}"`;
      reply
        .header('etag', etag)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('accept-ranges', 'bytes')
        .type('application/octet-stream');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
      const rangeHeader = request.headers.range;
      if (rangeHeader !== undefined) {
        const range = parseRange(rangeHeader, file.bytes);
        if (!range) {
          return reply
            .status(416)
            .header('content-range', `bytes */${file.bytes}`)
            .type('application/json')
            .send(
              new LoupeError('INVALID_REQUEST', `Unsatisfiable range ${rangeHeader}`).toBody(
                request.id,
              ),
            );
        }
        return reply
          .status(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${file.bytes}`)
          .header('content-length', range.end - range.start + 1)
          .send(createReadStream(full, range));
      }
      return reply.header('content-length', file.bytes).send(createReadStream(full));
    },
  );
};

export default diffusionFiles;
