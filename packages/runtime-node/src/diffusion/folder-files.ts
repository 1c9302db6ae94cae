import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface FolderFile {
  /** Relative to the folder, with `/` separators. */
  readonly path: string;
  readonly bytes: number;
  /** size, mtime and inode: a changed file gets hashed again. */
  readonly state: string;
}

/** Deep enough for any diffusers layout; stops a symlink loop. */
const MAX_DEPTH = 6;

/**
 * Every file under `dir`, sorted by path in byte order (as `LC_ALL=C sort` does). Names that
 * start with a dot are left out (`.git`, `.cache`, editor files): they are not the model, and
 * a clone's .git can be as large as the weights. Symlinks are followed.
 */
export async function listFolderFiles(dir: string): Promise<FolderFile[]> {
  const files: FolderFile[] = [];
  const walk = async (abs: string, rel: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return;
    for (const name of await readdir(abs)) {
      if (name.startsWith('.')) continue;
      const path = join(abs, name);
      const s = await stat(path).catch(() => undefined);
      const relPath = rel ? `${rel}/${name}` : name;
      if (!s) continue;
      if (s.isDirectory()) await walk(path, relPath, depth + 1);
      else if (s.isFile())
        files.push({ path: relPath, bytes: s.size, state: `${s.size}:${s.mtimeMs}:${s.ino}` });
    }
  };
  await walk(dir, '', 0);
  return files.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  // 1 MiB reads: flat memory for multi-GB weights, and the event loop keeps serving.
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * sha256 of files, computed once per file state: a rescan of an unchanged folder costs a stat
 * per file, and only a replaced or rewritten file is read again.
 */
export class FileHashCache {
  private readonly known = new Map<string, { state: string; sha256: Promise<string> }>();

  sha256(path: string, state: string): Promise<string> {
    const cached = this.known.get(path);
    if (cached?.state === state) return cached.sha256;
    const sha256 = sha256File(path);
    this.known.set(path, { state, sha256 });
    // A failed read is not remembered: the next scan tries again.
    sha256.catch(() => {
      if (this.known.get(path)?.sha256 === sha256) this.known.delete(path);
    });
    return sha256;
  }
}

/**
 * The folder's digest: sha256 of its files' `sha256sum` lines in path order, so
 * `find . -mindepth 1 -name '.*' -prune -o -type f -printf '%P\n' | LC_ALL=C sort |
 * xargs -d '\n' sha256sum | sha256sum` inside the folder gives the same value.
 */
export function folderDigest(files: readonly { path: string; sha256: string }[]): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.sha256}  ${f.path}\n`);
  return hash.digest('hex');
}
