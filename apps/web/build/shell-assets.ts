// Which built files are the app shell the service worker precaches, and the version that
// names its cache. Pure: the plugin in service-worker.ts reads the files and passes them in.
import { createHash } from 'node:crypto';
import type { ShellManifest } from '../src/service-worker/shell-manifest';

export const SERVICE_WORKER_FILE = 'sw.js';

export interface BuiltFile {
  /** Relative to the output directory, with `/` separators. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/**
 * Everything the built app loads itself, wherever it came from (Vite's chunks, the emitted ORT
 * runtime, public/): not the service worker (the browser fetches it), not source maps, not
 * models (the model store keeps those, inference/model-store.ts), not dotfiles.
 */
export function isShellFile(path: string): boolean {
  if (path === SERVICE_WORKER_FILE || path.endsWith('.map')) return false;
  if (path === 'models' || path.startsWith('models/')) return false;
  return !path.split('/').some((part) => part.startsWith('.'));
}

/**
 * The shell of one build: its files in a stable order, and a version that is a hash of every
 * file's path and bytes, so any change (even to index.html or public/, whose names carry no
 * hash) is a new version, and the same build always gives the same sw.js (no update).
 *
 * @example shellManifest([{ path: 'index.html', bytes }, { path: 'sw.js', bytes }])
 *   // { version: '9c1f…' (16 hex), files: ['index.html'] }
 */
export function shellManifest(built: readonly BuiltFile[]): ShellManifest {
  const files = built
    .filter((f) => isShellFile(f.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (!files.some((f) => f.path === 'index.html'))
    throw new Error('The app shell has no index.html: nothing to load offline');
  const hash = createHash('sha256');
  for (const f of files) {
    // Length-prefixed, so moving bytes between a path and its contents changes the hash.
    hash.update(`${f.path}\0${f.bytes.byteLength}\0`);
    hash.update(f.bytes);
  }
  return { version: hash.digest('hex').slice(0, 16), files: files.map((f) => f.path) };
}
