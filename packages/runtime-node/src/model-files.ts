import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  LoupeError,
  ManifestSchema,
  findManifestEntry,
  verifyModelBytes,
  type ModelId,
  type ModelManifest,
} from '@loupe/shared';

/**
 * Reads public/models/manifest.json. A missing or invalid manifest is MODEL_UNAVAILABLE with
 * the fix in the message; /ready reports it rather than the server refusing to start.
 */
export async function readManifest(modelsDir: string): Promise<ModelManifest> {
  const path = join(modelsDir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new LoupeError(
      'MODEL_UNAVAILABLE',
      `No model manifest at ${path}. Build the models with \`pnpm models\`.`,
    );
  }
  const parsed = ManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new LoupeError(
      'MODEL_UNAVAILABLE',
      `${path} is not a valid manifest (${parsed.error.issues[0]?.message}). Rebuild with \`pnpm models\`.`,
    );
  }
  return parsed.data;
}

/** Model bytes, checked against the manifest's sha256 before any session sees them. */
export async function readVerifiedModel(
  manifest: ModelManifest,
  modelsDir: string,
  id: ModelId,
): Promise<Uint8Array> {
  const entry = findManifestEntry(manifest, id);
  if (!entry) {
    throw new LoupeError(
      'MODEL_UNAVAILABLE',
      `Model ${id} is not in ${join(modelsDir, 'manifest.json')}. Build it with \`pnpm models\`${manifest.permissiveOnly ? ' (this build is permissive-only)' : ''}.`,
    );
  }
  const path = join(modelsDir, entry.file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    throw new LoupeError(
      'MODEL_UNAVAILABLE',
      `Model file ${path} is missing. Rebuild the models with \`pnpm models\`.`,
    );
  }
  await verifyModelBytes(entry, bytes);
  return bytes;
}
