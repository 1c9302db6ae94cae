/* global URL, setInterval, clearInterval */
// A stand-in for apps/server while screenshots are taken: serves the built app (dist/) with
// COOP/COEP, the real model files from public/models, and canned API answers whose shapes
// follow packages/shared's schemas. Job events stream for real (SSE), so the processing
// state is the UI's genuine reaction to progress events.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = resolve(here, '../dist');
const models = resolve(here, '../../../public/models');
const MIME = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
};
const GB = 1024 ** 3;

const residency = { 'esrgan-slim-x4': 'device', 'isnet-quint8': 'device', 'filter-adjust': 'ram' };
const counters = (id) => ({
  loads: 1,
  offloads: residency[id] === 'ram' ? 1 : 0,
  reloads: 0,
  releases: 0,
});

function gpuStatus() {
  return {
    ep: 'cuda',
    epReason: 'CUDA provider loaded (onnxruntime 1.29.0); NVIDIA H100 80GB HBM3',
    device: {
      name: 'NVIDIA H100 80GB HBM3',
      memory: {
        totalBytes: 80 * GB,
        usedBytes: Object.values(residency).filter((r) => r === 'device').length * 1.4 * GB,
      },
    },
    workers: [{ index: 0, pid: 41207, state: 'idle', restarts: 0 }],
    models: Object.keys(residency).map((id) => ({
      id,
      residency: residency[id],
      idleSeconds: 42,
      inUse: 0,
      counters: counters(id),
    })),
    queue: { depth: 1, running: 1, concurrency: 1, capacity: 16 },
    idleOffloadSeconds: 300,
  };
}

const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const now = () => new Date().toISOString();

export function startMockServer(port = 0) {
  const streams = new Set();
  const server = createServer((req, res) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    const url = new URL(req.url, 'http://x');
    const path = url.pathname;
    if (path === '/ready')
      return json(res, 200, {
        ready: true,
        checks: { manifest: true, workers: true, ep: true, draining: false, deviceHealthy: true },
      });
    if (path === '/health') return json(res, 200, { status: 'ok', uptimeSeconds: 1234 });
    if (path === '/api/gpu/status') return json(res, 200, gpuStatus());
    if (path === '/api/gpu/offload' || path === '/api/gpu/release') {
      const action = path.endsWith('offload') ? 'offload' : 'release';
      const affected = Object.keys(residency).filter((id) => residency[id] !== 'unloaded');
      for (const id of affected) residency[id] = action === 'offload' ? 'ram' : 'unloaded';
      return json(res, 200, { action, affected, skippedInUse: [] });
    }
    if (path === '/api/models') {
      const manifest = JSON.parse(readFileSync(join(models, 'manifest.json'), 'utf8'));
      return json(res, 200, {
        models: manifest.models.map((m) => ({
          ...m,
          title: m.id,
          copyleft: m.license === 'AGPL-3.0',
          residency: {
            residency: residency[m.id] ?? 'unloaded',
            idleSeconds: null,
            inUse: 0,
            counters: counters(m.id),
          },
        })),
      });
    }
    if (path === '/api/jobs' && req.method === 'POST') {
      req.resume();
      return req.on('end', () => json(res, 202, { id: 'job-1', state: 'queued' }));
    }
    if (/^\/api\/jobs\/[^/]+$/.test(path) && req.method === 'DELETE') {
      for (const s of streams) s.cancel();
      return json(res, 200, { id: 'job-1', state: 'cancelled' });
    }
    if (/^\/api\/jobs\/[^/]+\/events$/.test(path)) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const send = (e) =>
        res.write(
          `event: ${e.type}\ndata: ${JSON.stringify({ v: 1, jobId: 'job-1', at: now(), ...e })}\n\n`,
        );
      send({ type: 'queued', position: 0 });
      send({ type: 'started', attempt: 1 });
      let done = 0;
      const timer = setInterval(() => {
        if (done < 7)
          send({
            type: 'progress',
            progress: {
              done: ++done,
              total: 16,
              unit: 'tile',
              stage: 'Upscaling with ESRGAN thick ×4',
              etaMs: (16 - done) * 900,
            },
          });
      }, 250);
      const stream = {
        cancel() {
          clearInterval(timer);
          send({ type: 'cancelled', reason: 'Cancelled by the client' });
          res.end();
        },
      };
      streams.add(stream);
      req.on('close', () => (clearInterval(timer), streams.delete(stream)));
      return;
    }
    const file = path.startsWith('/models/')
      ? join(models, path.slice(8))
      : join(dist, path === '/' ? 'index.html' : path);
    const target = existsSync(file) && statSync(file).isFile() ? file : join(dist, 'index.html');
    res.writeHead(200, {
      'content-type': MIME[extname(target)] ?? 'application/octet-stream',
      'cross-origin-resource-policy': 'same-origin',
    });
    createReadStream(target).pipe(res);
  });
  return new Promise((ok) =>
    server.listen(port, '127.0.0.1', () =>
      ok({ server, url: `http://127.0.0.1:${server.address().port}` }),
    ),
  );
}
