import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestEntry } from '@loupe/shared';
import { packageVersion } from './package-info';

/** What a converter's output depends on: its code and the packages it reads. */
export interface CacheInputs {
  readonly sourceDirs: readonly string[];
  readonly packages: readonly string[];
  readonly permissiveOnly: boolean;
}

export type BuildCache = Record<string, { key: string; entries: ManifestEntry[] }>;

export const CACHE_FILE = '.build-cache.json';

async function filesUnder(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const names = (await readdir(path)).sort();
  return (await Promise.all(names.map((n) => filesUnder(join(path, n))))).flat();
}

/** sha256 over the converter's source files and the versions of its packages. */
export async function cacheKey(inputs: CacheInputs): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of inputs.sourceDirs) {
    for (const file of await filesUnder(dir)) hash.update(file).update(await readFile(file));
  }
  for (const name of inputs.packages) hash.update(`${name}@${packageVersion(name)}`);
  hash.update(`permissiveOnly=${inputs.permissiveOnly}`);
  return hash.digest('hex');
}

export async function readCache(outDir: string): Promise<BuildCache> {
  const path = join(outDir, CACHE_FILE);
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(await readFile(path, 'utf8')) as BuildCache;
  } catch {
    return {};
  }
}

export async function writeCache(outDir: string, cache: BuildCache): Promise<void> {
  await writeFile(join(outDir, CACHE_FILE), `${JSON.stringify(cache, null, 2)}\n`);
}

/** Cached entries are reused only if every file is still there with its recorded sha256. */
export async function entriesStillValid(
  outDir: string,
  entries: readonly ManifestEntry[],
): Promise<boolean> {
  for (const entry of entries) {
    const path = join(outDir, entry.file);
    if (!existsSync(path)) return false;
    const bytes = await readFile(path);
    if (bytes.byteLength !== entry.bytes) return false;
    if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) return false;
  }
  return true;
}
