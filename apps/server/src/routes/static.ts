import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { LoupeError } from '@loupe/shared';

/** The web build's service worker (apps/web/build/shell-assets.ts), at the root so its scope is the whole app. */
const SERVICE_WORKER_FILE = 'sw.js';

/**
 * The web app's inference worker (apps/web/src/inference/worker.ts, named by Vite). It loads
 * OpenCV's WASM build for erase, whose Emscripten bindings compile with `new Function`; a
 * worker's CSP comes from its own script's response, so this one script (and what it imports)
 * may eval while the page keeps script-src without 'unsafe-eval'.
 */
const INFERENCE_WORKER = /[\\/]assets[\\/]worker-[\w-]+\.js$/;

/** The app's CSP with 'unsafe-eval' added to script-src. */
export function withEval(csp: string): string {
  return csp.replace(/(^|;)\s*script-src([^;]*)/, (all, sep: string, sources: string) =>
    sources.includes("'unsafe-eval'") ? all : `${sep}script-src${sources} 'unsafe-eval'`,
  );
}

/**
 * The built web app at / (when apps/web/dist exists) and the models at /models/, on the API's
 * port. .onnx files are cached for a week (clients verify sha256 from the manifest, which is
 * never cached, so a rebuilt model is noticed); the SPA's routes fall back to index.html and
 * every other unknown path gets the JSON NOT_FOUND error. The web app's service worker
 * (/sw.js, which keeps the app for offline use) is always revalidated: it is how browsers
 * notice a new build.
 */
export default fp(
  async (app) => {
    const { LOUPE_WEB_DIR: webDir, LOUPE_MODELS_DIR: modelsDir } = app.config;

    await app.register(fastifyStatic, {
      root: modelsDir,
      prefix: '/models/',
      decorateReply: false,
      index: false,
      cacheControl: false,
      setHeaders(res, path) {
        if (path.endsWith('.onnx')) {
          res.header('content-type', 'application/octet-stream');
          res.header('cache-control', 'public, max-age=604800');
        } else {
          res.header('cache-control', 'no-cache');
        }
      },
    });

    const hasWebApp = existsSync(join(webDir, 'index.html'));
    if (hasWebApp)
      await app.register(fastifyStatic, {
        root: webDir,
        prefix: '/',
        wildcard: false,
        index: ['index.html'],
        setHeaders(res, path) {
          if (resolve(path) === resolve(webDir, SERVICE_WORKER_FILE))
            res.header('cache-control', 'no-cache');
          const csp = res.getHeader('content-security-policy');
          if (INFERENCE_WORKER.test(path) && typeof csp === 'string')
            res.header('content-security-policy', withEval(csp));
        },
      });
    else
      app.log.warn(`no web app at ${webDir} (build it with \`pnpm build\`); serving the API only`);

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0]!;
      const wantsPage =
        hasWebApp &&
        request.method === 'GET' &&
        !/^\/(api|models)\//.test(path) &&
        !/\.[a-z0-9]+$/i.test(path);
      if (wantsPage)
        return reply
          .type('text/html')
          .header('cache-control', 'no-cache')
          .sendFile('index.html', webDir);
      return reply
        .status(404)
        .send(
          new LoupeError('NOT_FOUND', `No route for ${request.method} ${path}`).toBody(request.id),
        );
    });
  },
  { name: 'static-files', dependencies: ['config'] },
);
