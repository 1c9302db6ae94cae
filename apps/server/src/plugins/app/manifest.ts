import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import type { ModelManifest } from '@loupe/shared';
import { readManifest } from '../../inference/model-files';

export type ManifestCheck = { ok: true; manifest: ModelManifest } | { ok: false; reason: string };

declare module 'fastify' {
  interface FastifyInstance {
    /** public/models/manifest.json, re-read on each call so `pnpm models` needs no restart. */
    checkManifest(): Promise<ManifestCheck>;
  }
}

/**
 * Manifest valid and every file present with its recorded size. The sha256 is checked by the
 * child before a model's first load; hashing 300 MB on every /ready probe would be wasteful.
 */
export default fp(
  async (app) => {
    const dir = app.config.LOUPE_MODELS_DIR;
    app.decorate('checkManifest', async (): Promise<ManifestCheck> => {
      try {
        const manifest = await readManifest(dir);
        for (const m of manifest.models) {
          const s = await stat(join(dir, m.file)).catch(() => undefined);
          if (!s)
            return { ok: false, reason: `model file ${m.file} is missing; run \`pnpm models\`` };
          if (s.size !== m.bytes)
            return {
              ok: false,
              reason: `model file ${m.file} has ${s.size} bytes, manifest says ${m.bytes}; run \`pnpm models\``,
            };
        }
        return { ok: true, manifest };
      } catch (e) {
        return { ok: false, reason: (e as Error).message };
      }
    });
  },
  { name: 'manifest', dependencies: ['config'] },
);
