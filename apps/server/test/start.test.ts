import { mkdtemp, writeFile } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReadySchema } from '@loupe/shared';
import { startBundledServer } from './support/bundled-server';
import { png, post } from './support/server';

describe('pnpm start (node dist/server.js)', () => {
  it('serves the web app, the models and the API on one port from the bundle, and exits cleanly on SIGTERM', async () => {
    const web = await mkdtemp(join(tmpdir(), 'loupe-web-'));
    await writeFile(join(web, 'index.html'), '<!doctype html><title>Loupe</title>');
    await writeFile(join(web, 'app.js'), 'console.log(1)');
    await writeFile(join(web, 'sw.js'), 'self.addEventListener("fetch", () => {})');
    await writeFile(join(web, 'manifest.webmanifest'), '{"name":"Loupe"}');
    const { base, child, log, exited } = await startBundledServer({
      LOUPE_WEB_DIR: web,
      LOUPE_CORS_ORIGINS: 'https://app.example',
      LOUPE_LOG_LEVEL: 'info',
    });
    try {
      expect(ReadySchema.parse(await (await fetch(`${base}/ready`)).json()).ready).toBe(true);
      // The configuration is printed at start, secrets masked.
      expect(log()).toContain('LOUPE_QUEUE_MAX');
      expect(log()).toContain('"LOUPE_API_TOKEN":"(unset)"');

      const page = await fetch(`${base}/`);
      expect(await page.text()).toContain('<title>Loupe</title>');
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(await (await fetch(`${base}/editor/some/route`)).text()).toContain(
        '<title>Loupe</title>',
      );
      expect((await fetch(`${base}/app.js`)).headers.get('content-type')).toContain('javascript');
      // The service worker is how a browser notices a new build: never served from a cache.
      const sw = await fetch(`${base}/sw.js`);
      expect(sw.headers.get('content-type')).toContain('javascript');
      expect(sw.headers.get('cache-control')).toBe('no-cache');
      expect((await fetch(`${base}/app.js`)).headers.get('cache-control')).not.toBe('no-cache');
      const install = await fetch(`${base}/manifest.webmanifest`);
      expect(install.headers.get('content-type')).toBe('application/manifest+json');
      // The page's CSP lets it register the worker and read the install manifest, both same-origin.
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toMatch(/(^|;)worker-src 'self'[^;]*(;|$)/);
      expect(csp).toMatch(/(^|;)manifest-src 'self'(;|$)/);
      expect((await fetch(`${base}/api/nothing`)).status).toBe(404);

      // CORS: the configured origin is allowed (preflight included), any other gets no grant.
      // (fetch drops Access-Control-Request-* headers, so the preflight goes through node:http.)
      const preflight = await new Promise<IncomingMessage>((resolve, reject) =>
        request(
          `${base}/api/edit`,
          {
            method: 'OPTIONS',
            headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
          },
          resolve,
        )
          .on('error', reject)
          .end(),
      );
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
      const allowed = await fetch(`${base}/api/ops`, {
        headers: { origin: 'https://app.example' },
      });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const other = await fetch(`${base}/api/ops`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();

      const manifest = await fetch(`${base}/models/manifest.json`);
      expect(manifest.headers.get('cache-control')).toBe('no-cache');
      const model = await fetch(`${base}/models/filter-blur.onnx`);
      expect(model.headers.get('content-type')).toBe('application/octet-stream');
      expect(model.headers.get('cache-control')).toMatch(/max-age=\d{6,}/);

      const edit = await post(base, '/api/edit', { image: await png(16, 16), op: 'invert' });
      expect(edit.status).toBe(200);
      expect(JSON.parse(edit.headers.get('x-loupe-metadata')!).ep).toBe('cpu');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
