import { describe, expect, it } from 'vitest';
import { isShellFile, shellManifest, type BuiltFile } from './shell-assets';

const file = (path: string, text = path): BuiltFile => ({
  path,
  bytes: new TextEncoder().encode(text),
});

const BUILD = [
  file('index.html', '<!doctype html><script src="/assets/index-C8ggr0Yk.js"></script>'),
  file('assets/index-C8ggr0Yk.js'),
  file('assets/index-C8ggr0Yk.js.map'),
  file('assets/worker-CXyVTDUz.js'),
  file('ort/ort-wasm-simd-threaded.asyncify.wasm'),
  file('theme-init.js'),
  file('manifest.webmanifest'),
  file('icons/icon-192.png'),
  file('sw.js'),
  file('models/manifest.json'),
  file('.vite/manifest.json'),
];

describe('the app shell of a build', () => {
  it('is every file the app loads: not the service worker, source maps, models or dotfiles', () => {
    expect(shellManifest(BUILD).files).toEqual([
      'assets/index-C8ggr0Yk.js',
      'assets/worker-CXyVTDUz.js',
      'icons/icon-192.png',
      'index.html',
      'manifest.webmanifest',
      'ort/ort-wasm-simd-threaded.asyncify.wasm',
      'theme-init.js',
    ]);
    expect(isShellFile('models')).toBe(false);
    expect(isShellFile('assets/models-list.js')).toBe(true);
  });

  it('has a version that follows every byte of the shell and nothing outside it', () => {
    const { version } = shellManifest(BUILD);
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    // The same build in another order: the same version, so an unchanged build is no update.
    expect(shellManifest([...BUILD].reverse()).version).toBe(version);
    // index.html and public/ files carry no hash in their names: their bytes still count.
    const edited = BUILD.map((f) => (f.path === 'theme-init.js' ? file(f.path, 'changed') : f));
    expect(shellManifest(edited).version).not.toBe(version);
    const renamed = BUILD.map((f) =>
      f.path === 'icons/icon-192.png' ? file('icons/icon-193.png', f.path) : f,
    );
    expect(shellManifest(renamed).version).not.toBe(version);
    // Files that are not shell (maps, the worker itself) do not make a new version.
    const mapOnly = BUILD.map((f) => (f.path.endsWith('.map') ? file(f.path, 'other map') : f));
    expect(shellManifest(mapOnly).version).toBe(version);
  });

  it('refuses a build without index.html: there would be nothing to load offline', () => {
    expect(() => shellManifest(BUILD.filter((f) => f.path !== 'index.html'))).toThrow(
      /no index.html/,
    );
  });
});
