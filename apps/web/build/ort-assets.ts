// Serves (dev) and emits (build) the onnxruntime-web runtime files under `/ort/`, so the
// worker's `ort.env.wasm.wasmPaths` points at our own origin: no CDN, works offline.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { defaultClientConditions, type Plugin } from 'vite';
// Both WASM builds a worker may load (ort-files.ts says which and why).
import { ORT_RUNTIME_FILES } from '../src/inference/ort-files';

export const ORT_PUBLIC_DIR = 'ort';

const MIME: Record<string, string> = { '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

/** COOP + COEP make the page cross-origin isolated: SharedArrayBuffer, hence WASM threads. */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/** Resolved from this file, which lives in apps/web (onnxruntime-web's dependant), via the package's own exports. */
function ortFilePath(file: string): string {
  return createRequire(import.meta.url).resolve(`onnxruntime-web/${file}`);
}

export interface OrtAssetsOptions {
  /** Send COOP/COEP from the dev and preview servers (default true). Production servers set their own. */
  readonly crossOriginIsolation?: boolean;
}

/**
 * @example // vite.config.ts
 * plugins: [react(), tailwindcss(), ortAssets()], worker: { format: 'es' }
 */
export function ortAssets({ crossOriginIsolation = true }: OrtAssetsOptions = {}): Plugin {
  const headers: Record<string, string> = crossOriginIsolation
    ? CROSS_ORIGIN_ISOLATION_HEADERS
    : {};
  const middleware = (req: { url?: string }, res: ServerResponse, next: () => void) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const match = /\/ort\/([^/]+)$/.exec(path);
    const file =
      match && (ORT_RUNTIME_FILES as readonly string[]).includes(match[1]!) ? match[1]! : undefined;
    if (!file) return next();
    const full = ortFilePath(file);
    res.setHeader(
      'Content-Type',
      MIME[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream',
    );
    res.setHeader('Content-Length', String(statSync(full).size));
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    createReadStream(full).pipe(res);
  };
  return {
    name: 'loupe:ort-assets',
    config: () => ({
      // The "extern wasm" builds load the runtime from wasmPaths instead of inlining a second
      // 25 MB copy as a hashed asset next to ours.
      resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
      worker: { format: 'es' as const },
      optimizeDeps: { exclude: ['onnxruntime-web'] },
    }),
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
    generateBundle() {
      for (const file of ORT_RUNTIME_FILES) {
        this.emitFile({
          type: 'asset',
          fileName: `${ORT_PUBLIC_DIR}/${file}`,
          source: readFileSync(ortFilePath(file)),
        });
      }
    },
  };
}
