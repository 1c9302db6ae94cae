import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ManifestSchema,
  findManifestEntry,
  type ManifestEntry,
  type ModelId,
  type ModelManifest,
} from '@loupe/shared';
import { REPO_ROOT } from './machine';

export const MODELS_DIR = path.join(REPO_ROOT, 'public', 'models');

/** public/models/manifest.json as `pnpm models` wrote it, or undefined when not built yet. */
export function loadManifest(): ModelManifest | undefined {
  const file = path.join(MODELS_DIR, 'manifest.json');
  if (!existsSync(file)) return undefined;
  return ManifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export function modelEntry(
  manifest: ModelManifest | undefined,
  id: ModelId,
): ManifestEntry | undefined {
  const entry = manifest && findManifestEntry(manifest, id);
  return entry && existsSync(path.join(MODELS_DIR, entry.file)) ? entry : undefined;
}

export function modelFile(manifest: ModelManifest, id: ModelId): string {
  const entry = findManifestEntry(manifest, id);
  if (!entry) throw new Error(`${id} is not in public/models/manifest.json: run \`pnpm models\``);
  return path.join(MODELS_DIR, entry.file);
}
