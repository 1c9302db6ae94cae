/**
 * How the service worker answers one request:
 * - `shell`: a file of this build's app shell, from its cache (the network if it is missing);
 * - `page`: a navigation inside the app, answered with the cached index.html (the SPA has no
 *   server-side routes: the server itself answers every such path with index.html);
 * - `models`: /models/*, from the network; offline, from the model store's cache, so a model
 *   is stored once, by the model store (inference/model-store.ts), never by the worker;
 * - `network`: left to the browser: the API, the server's other routes, other origins, non-GET.
 */
export type ShellRoute = 'shell' | 'page' | 'models' | 'network';

export interface RouteRequest {
  readonly url: string;
  readonly method: string;
  /** `Request.mode`: 'navigate' for page loads. */
  readonly mode: string;
}

/** First path segments the server answers itself (apps/server routes): never the shell's. */
const SERVER_ROUTES: ReadonlySet<string> = new Set([
  'api',
  'health',
  'ready',
  'version',
  'metrics',
  'docs',
]);

/**
 * @example routeRequest({ url: 'http://h/api/gpu/status', method: 'GET', mode: 'cors' },
 *   'http://h/', shell) // 'network'
 */
export function routeRequest(
  request: RouteRequest,
  scope: string,
  shellUrls: ReadonlySet<string>,
): ShellRoute {
  if (request.method !== 'GET') return 'network';
  const url = new URL(request.url);
  const base = new URL(scope);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return 'network';
  const path = url.pathname.slice(base.pathname.length);
  const first = path.split('/', 1)[0]!;
  if (first === 'models') return 'models';
  if (SERVER_ROUTES.has(first)) return 'network';
  if (shellUrls.has(url.origin + url.pathname)) return 'shell';
  const last = path.slice(path.lastIndexOf('/') + 1);
  // Like the server's fallback: a path that names a file is not a page of the app.
  if (request.mode === 'navigate' && !/\.[a-z0-9]+$/i.test(last)) return 'page';
  return 'network';
}
