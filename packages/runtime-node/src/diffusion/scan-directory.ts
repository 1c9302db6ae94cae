import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiffusionCatalog } from '@loupe/shared';
import type { FileHashCache } from './folder-files';
import { inspectDiffusionFolder } from './inspect-folder';

/**
 * Every subfolder of `dir` (LOUPE_DIFFUSION_DIR), inspected one after another and sorted by
 * name; files and dot-folders beside them are ignored. A missing or unreadable `dir` gives an
 * empty list with the reason: the server starts and says why.
 */
export async function scanDiffusionDirectory(
  dir: string,
  hashes: FileHashCache,
): Promise<DiffusionCatalog> {
  const scannedAt = new Date().toISOString();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'ENOTDIR'
          ? 'is not a folder'
          : `cannot be read (${code ?? (e as Error).message})`;
    return {
      configured: true,
      problem: `LOUPE_DIFFUSION_DIR ${dir} ${why}`,
      scannedAt,
      models: [],
    };
  }
  const folders: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const s = await stat(join(dir, name)).catch(() => undefined);
    if (s?.isDirectory()) folders.push(name);
  }
  const models = [];
  for (const name of folders)
    models.push(await inspectDiffusionFolder(join(dir, name), { hashes }));
  return { configured: true, scannedAt, models };
}
