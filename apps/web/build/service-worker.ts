// Builds the service worker (src/service-worker/service-worker.ts) to a stable URL, /sw.js, once
// the app itself is written: the worker precaches exactly the files of this build's output.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { build, type Plugin, type ResolvedConfig } from 'vite';
import { SERVICE_WORKER_FILE, shellManifest, type BuiltFile } from './shell-assets';

async function builtFiles(outDir: string): Promise<BuiltFile[]> {
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const full = join(e.parentPath, e.name);
        return { path: relative(outDir, full).split(sep).join('/'), bytes: await readFile(full) };
      }),
  );
}

/**
 * A separate build, not a chunk of the app's: one classic script with no imports, so it shares
 * no hashed chunk with the app and the browser can byte-compare it to notice a new version.
 *
 * @example // vite.config.ts
 * plugins: [react(), tailwindcss(), ortAssets(), serviceWorker({ entry: 'src/service-worker/service-worker.ts' })]
 */
export function serviceWorker({ entry }: { entry: string }): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'loupe:service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    writeBundle: {
      sequential: true,
      order: 'post',
      async handler() {
        const outDir = resolve(config.root, config.build.outDir);
        const shell = shellManifest(await builtFiles(outDir));
        await build({
          configFile: false,
          root: config.root,
          mode: config.mode,
          logLevel: 'warn',
          define: { __LOUPE_SHELL__: JSON.stringify(shell) },
          build: {
            outDir,
            emptyOutDir: false,
            copyPublicDir: false,
            target: config.build.target,
            minify: config.build.minify,
            sourcemap: false,
            rollupOptions: {
              input: resolve(config.root, entry),
              output: { format: 'iife', entryFileNames: SERVICE_WORKER_FILE },
            },
          },
        });
        config.logger.info(
          `service worker: ${SERVICE_WORKER_FILE} precaches ${shell.files.length} files (version ${shell.version})`,
        );
      },
    },
  };
}
