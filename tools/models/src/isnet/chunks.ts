import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One entry of @imgly/background-removal-data's dist/resources.json. */
interface ResourceEntry {
  readonly size: number;
  readonly chunks: readonly {
    readonly hash: string;
    readonly offsets: readonly [number, number];
  }[];
}

export interface ReassembledFile {
  readonly bytes: Uint8Array;
  /** Chunk file names, relative to the package root (recorded as the manifest's source files). */
  readonly files: readonly string[];
}

/**
 * Rebuilds one resource (e.g. `/models/small`) from its sha256-named chunks. Every chunk is
 * hashed and must equal its name and declared span, so a truncated or tampered npm tarball
 * fails the build rather than producing a model that loads and segments wrongly.
 */
export async function reassembleResource(
  packageDir: string,
  key: string,
): Promise<ReassembledFile> {
  const resources = JSON.parse(
    await readFile(join(packageDir, 'dist', 'resources.json'), 'utf8'),
  ) as Record<string, ResourceEntry>;
  const entry = resources[key];
  if (!entry) throw new Error(`${key} is not listed in ${packageDir}/dist/resources.json`);
  const bytes = new Uint8Array(entry.size);
  const files: string[] = [];
  let expectedStart = 0;
  for (const { hash, offsets } of entry.chunks) {
    const [start, end] = offsets;
    const file = `dist/${hash}`;
    const chunk = await readFile(join(packageDir, file));
    const actual = createHash('sha256').update(chunk).digest('hex');
    if (actual !== hash)
      throw new Error(`${key}: chunk ${file} has sha256 ${actual}, expected ${hash}`);
    if (start !== expectedStart || end - start !== chunk.length || end > entry.size) {
      throw new Error(
        `${key}: chunk ${file} spans [${start}, ${end}) but has ${chunk.length} bytes`,
      );
    }
    bytes.set(chunk, start);
    files.push(file);
    expectedStart = end;
  }
  if (expectedStart !== entry.size)
    throw new Error(`${key}: chunks cover ${expectedStart} of ${entry.size} bytes`);
  return { bytes, files };
}
