// The service worker (built to /sw.js by build/service-worker.ts): keeps this build's app shell
// in Cache Storage so the installed app loads and runs browser edits with the server down.
// Cache-first for the shell, network only for the API; a new build waits for the app's Reload.
import {
  PROTOCOL_VERSION,
  ShellRequestSchema,
  SkipWaitingMessageSchema,
  receive,
  toErrorPayload,
  type ShellResponse,
} from '@loupe/shared';
import { MODEL_CACHE_NAME } from '../inference/model-store';
import { routeRequest, type ShellRoute } from './routes';
import { shellCacheName, staleShellCaches, type ShellManifest } from './shell-manifest';

declare const self: ServiceWorkerGlobalScope;
/** Injected at build time (build/service-worker.ts): this build's shell files and version. */
declare const __LOUPE_SHELL__: ShellManifest;

const shell = __LOUPE_SHELL__;
const cacheName = shellCacheName(shell.version);
const scope = self.registration.scope;
const shellUrls = shell.files.map((f) => new URL(f, scope).href);
const isShellUrl = new Set(shellUrls);
const indexUrl = new URL('index.html', scope).href;

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new build waits until the app's "Reload", never mid-edit.
  event.waitUntil(precache());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const stale = staleShellCaches(await caches.keys(), cacheName);
      await Promise.all(stale.map((name) => caches.delete(name)));
      // The first install takes the page that registered it, so it works offline without a reload.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const route = routeRequest(event.request, scope, isShellUrl);
  if (route !== 'network') event.respondWith(answer(route, event.request));
});

self.addEventListener('message', (event) => {
  if (SkipWaitingMessageSchema.safeParse(event.data).success) {
    event.waitUntil(self.skipWaiting());
    return;
  }
  // Requests carry the port their answer goes to (a MessageChannel): no answer without one.
  const port = event.ports[0];
  if (!port) return;
  const receipt = receive(ShellRequestSchema, event.data, 'INVALID_REQUEST');
  if (!receipt.ok) {
    if (receipt.reply) port.postMessage(receipt.reply);
    else if (receipt.id)
      port.postMessage({
        v: PROTOCOL_VERSION,
        id: receipt.id,
        type: 'error',
        error: receipt.error.toPayload(),
      } satisfies ShellResponse);
    return;
  }
  const { id } = receipt.message;
  event.waitUntil(
    shellStatus(id).then(
      (answer) => port.postMessage(answer),
      (e: unknown) =>
        port.postMessage({
          v: PROTOCOL_VERSION,
          id,
          type: 'error',
          error: toErrorPayload(e),
        } satisfies ShellResponse),
    ),
  );
});

async function precache(): Promise<void> {
  const cache = await caches.open(cacheName);
  // Revalidated rather than read from the HTTP cache, so the cache holds this build's bytes.
  // addAll fails the install if any file fails: a half-cached shell never becomes active.
  await cache.addAll(shellUrls.map((url) => new Request(url, { cache: 'no-cache' })));
}

async function answer(route: Exclude<ShellRoute, 'network'>, request: Request): Promise<Response> {
  if (route === 'models') return modelFile(request);
  const cache = await caches.open(cacheName);
  const kept = await cache.match(route === 'page' ? indexUrl : request.url, { ignoreSearch: true });
  return kept ?? fetch(request);
}

/**
 * The network first (a rebuilt model or manifest wins); offline, what the model store kept.
 * Only the model store writes that cache, so a model is stored once.
 */
async function modelFile(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    // The store keys model files by `?sha256=…`; the manifest by its plain URL.
    const kept = await caches.match(request.url, {
      cacheName: MODEL_CACHE_NAME,
      ignoreSearch: true,
    });
    if (kept) return kept;
    throw error;
  }
}

async function shellStatus(id: string): Promise<ShellResponse> {
  const cache = await caches.open(cacheName);
  const found = await Promise.all(shellUrls.map((url) => cache.match(url)));
  return {
    v: PROTOCOL_VERSION,
    id,
    type: 'shell-status',
    version: shell.version,
    cached: found.filter(Boolean).length,
    total: shellUrls.length,
  };
}
