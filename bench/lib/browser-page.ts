// Builds bench/browser/ (the page) with the web app's own Vite and ort-assets plugin, and serves
// it with COOP/COEP next to the models, tfjs's wasm files and the UpscalerJS weights.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { ortAssets } from '../../apps/web/build/ort-assets';
import { PHOTO } from './images';
import { BENCH_DIR, REPO_ROOT } from './machine';
import { MODELS_DIR } from './models';

const PAGE_DIR = path.join(BENCH_DIR, 'browser');
const DIST = path.join(PAGE_DIR, 'dist');

export async function buildPage(): Promise<void> {
  const vitePath = createRequire(path.join(REPO_ROOT, 'apps/web/package.json')).resolve('vite');
  // The web app's own Vite (the bench does not depend on it), typed as far as used here.
  const vite = (await import(pathToFileURL(vitePath).href)) as {
    build(config: object): Promise<unknown>;
  };
  await vite.build({
    root: PAGE_DIR,
    configFile: false,
    logLevel: 'warn',
    plugins: [ortAssets()],
    worker: { format: 'es' },
    build: { target: 'es2022', outDir: DIST, emptyOutDir: true },
  });
}

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** URL prefix → directory on disk. */
const ROOTS: [string, string][] = [
  ['/models/', MODELS_DIR],
  ['/tfjs-wasm/', path.join(BENCH_DIR, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')],
  ['/upscalerjs/esrgan-slim/', path.join(BENCH_DIR, 'node_modules/@upscalerjs/esrgan-slim')],
  ['/', DIST],
];

export async function servePage(): Promise<{ url: string; close(): Promise<void> }> {
  const photos = new Map<number, Buffer>();
  const server: Server = createServer(async (req, res) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    const url = (req.url ?? '/').split('?')[0]!;
    const photo = /^\/photo\/(\d+)\.rgba$/.exec(url);
    if (photo) {
      const side = Number(photo[1]);
      if (!photos.has(side)) {
        photos.set(
          side,
          await sharp(PHOTO).removeAlpha().resize(side, side).ensureAlpha().raw().toBuffer(),
        );
      }
      res.setHeader('Content-Type', 'application/octet-stream');
      return res.end(photos.get(side));
    }
    for (const [prefix, dir] of ROOTS) {
      if (!url.startsWith(prefix)) continue;
      const rel = decodeURIComponent(url.slice(prefix.length)) || 'index.html';
      const file = path.join(dir, rel);
      if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) continue;
      res.setHeader('Content-Type', MIME[path.extname(file)] ?? 'application/octet-stream');
      return createReadStream(file).pipe(res);
    }
    res.statusCode = 404;
    res.end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
