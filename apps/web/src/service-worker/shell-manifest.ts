/**
 * What one build's service worker precaches: every file of the built app except the worker
 * itself and source maps (build/shell-assets.ts decides), and a version that changes whenever
 * any of their bytes do. Injected into sw.js at build time as `__LOUPE_SHELL__`.
 *
 * @example { version: '3f9a0c1e2b4d5a6f', files: ['assets/index-CaggNO83.js', 'index.html', …] }
 */
export interface ShellManifest {
  readonly version: string;
  /** Paths relative to the app's base URL (the worker's scope). */
  readonly files: readonly string[];
}

/** The one cache prefix this worker owns: it deletes other versions' caches, never another prefix's. */
export const SHELL_CACHE_PREFIX = 'loupe-shell-';

/** The Cache Storage name of one build's shell: a new build never reads an old build's files. */
export function shellCacheName(version: string): string {
  return `${SHELL_CACHE_PREFIX}${version}`;
}

/** Shell caches of other builds, to delete once `current` is active; model caches are left alone. */
export function staleShellCaches(names: readonly string[], current: string): string[] {
  return names.filter((n) => n.startsWith(SHELL_CACHE_PREFIX) && n !== current);
}
