import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManifestSchema, type ModelManifest } from '@loupe/shared';

export const modelsDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  'public',
  'models',
);

/** public/models/manifest.json as `pnpm models` last wrote it, validated by the shared schema. */
export function readBuiltManifest(): ModelManifest {
  const path = join(modelsDir, 'manifest.json');
  if (!existsSync(path)) throw new Error(`${path} does not exist: run \`pnpm models\` first`);
  return ManifestSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}
