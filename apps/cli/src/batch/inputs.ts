import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { UsageError } from '../usage-error';

/** Extensions a folder is searched for (files and globs named explicitly are taken whatever their name). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.avif', '.gif'] as const;

/** Left by an interrupted write (see atomic-write.ts); never an input. */
export const TEMP_SUFFIX = '.loupe-tmp';

export interface InputFile {
  /** The file, as a path from the working directory or absolute, as it was given. */
  path: string;
  /** Where it goes under the output folder: its path below the folder or glob base it came from. */
  relative: string;
}

const isImageName = (name: string) =>
  !name.endsWith(TEMP_SUFFIX) && IMAGE_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));

/** The leading path segments of a glob that hold no pattern: what its matches are relative to. */
function globBase(pattern: string): string {
  const parts = pattern.split(/[\\/]/);
  const fixed: string[] = [];
  for (const part of parts) {
    if (isDynamicPattern(part)) break;
    fixed.push(part);
  }
  return fixed.join('/') || '.';
}

async function kindOf(path: string): Promise<'file' | 'folder' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'folder' : 'file';
  } catch {
    return undefined;
  }
}

/**
 * Files, folders (searched recursively for images) and globs as a list of files, each once, in
 * a stable order. `exclude` is a folder never searched (the output folder, when it lies inside
 * an input folder, so a rerun does not take its own results as inputs).
 */
export async function expandInputs(
  args: readonly string[],
  exclude?: string,
): Promise<InputFile[]> {
  const files: InputFile[] = [];
  const excluded = exclude ? resolve(exclude) + sep : undefined;
  for (const arg of args) {
    const kind = await kindOf(arg);
    if (kind === 'file') {
      files.push({ path: arg, relative: basename(arg) });
    } else if (kind === 'folder') {
      const entries = await readdir(arg, { recursive: true, withFileTypes: true });
      const found = entries
        .filter((e) => e.isFile() && isImageName(e.name))
        .map((e) => join(e.parentPath, e.name))
        .filter((p) => !excluded || !resolve(p).startsWith(excluded))
        .sort();
      files.push(...found.map((p) => ({ path: p, relative: relative(arg, p) })));
    } else if (isDynamicPattern(arg)) {
      const base = globBase(arg);
      const matches = (await glob(arg, { onlyFiles: true, expandDirectories: false })).sort();
      if (!matches.length) throw new UsageError(`${arg}: the glob matches no file`, 'inputs');
      files.push(...matches.map((p) => ({ path: p, relative: relative(base, p) })));
    } else {
      throw new UsageError(`${arg}: no such file or folder`, 'inputs');
    }
  }
  const seen = new Set<string>();
  return files.filter((f) => {
    const key = resolve(f.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
