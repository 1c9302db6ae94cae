import { describe, expect, it } from 'vitest';
import { routeRequest, type RouteRequest } from './routes';

const SCOPE = 'http://127.0.0.1:8787/';
const shell = new Set([
  `${SCOPE}index.html`,
  `${SCOPE}assets/index-CaggNO83.js`,
  `${SCOPE}ort/ort-wasm-simd-threaded.asyncify.wasm`,
  `${SCOPE}manifest.webmanifest`,
]);
const get = (path: string, mode = 'cors'): RouteRequest => ({
  url: new URL(path, SCOPE).href,
  method: 'GET',
  mode,
});

describe('routeRequest', () => {
  it('answers the shell files from the cache, queries ignored', () => {
    expect(routeRequest(get('/assets/index-CaggNO83.js'), SCOPE, shell)).toBe('shell');
    expect(routeRequest(get('/ort/ort-wasm-simd-threaded.asyncify.wasm'), SCOPE, shell)).toBe(
      'shell',
    );
    expect(routeRequest(get('/assets/index-CaggNO83.js?v=1'), SCOPE, shell)).toBe('shell');
    expect(routeRequest(get('/index.html', 'navigate'), SCOPE, shell)).toBe('shell');
  });

  it('answers every navigation inside the app with the page, like the server does', () => {
    expect(routeRequest(get('/', 'navigate'), SCOPE, shell)).toBe('page');
    expect(routeRequest(get('/editor/some/route?x=1', 'navigate'), SCOPE, shell)).toBe('page');
    // A path naming a file that is not the shell's is the server's to answer (its 404).
    expect(routeRequest(get('/photo.png', 'navigate'), SCOPE, shell)).toBe('network');
  });

  it('never answers the API or the server’s own routes, whatever the mode', () => {
    for (const path of [
      '/api/gpu/status',
      '/api/jobs/1/events',
      '/api',
      '/health',
      '/ready',
      '/version',
      '/metrics',
      '/docs',
      '/docs/static/index.html',
    ]) {
      expect(routeRequest(get(path), SCOPE, shell), path).toBe('network');
      expect(routeRequest(get(path, 'navigate'), SCOPE, shell), path).toBe('network');
    }
  });

  it('sends models to the model route, and leaves non-GET, other origins and unknown files alone', () => {
    expect(routeRequest(get('/models/manifest.json'), SCOPE, shell)).toBe('models');
    expect(routeRequest(get('/models/filter-adjust.onnx'), SCOPE, shell)).toBe('models');
    expect(
      routeRequest({ ...get('/assets/index-CaggNO83.js'), method: 'POST' }, SCOPE, shell),
    ).toBe('network');
    expect(routeRequest(get('http://cdn.example/assets/index-CaggNO83.js'), SCOPE, shell)).toBe(
      'network',
    );
    expect(routeRequest(get('/assets/other-chunk.js'), SCOPE, shell)).toBe('network');
    // "/apis" is not "/api": a path is matched by its segment.
    expect(routeRequest(get('/apis', 'navigate'), SCOPE, shell)).toBe('page');
  });

  it('keeps to its scope when the app lives under a base path', () => {
    const scope = 'http://h/loupe/';
    const files = new Set(['http://h/loupe/index.html']);
    expect(routeRequest(get('http://h/loupe/', 'navigate'), scope, files)).toBe('page');
    expect(routeRequest(get('http://h/loupe/api/ops'), scope, files)).toBe('network');
    expect(routeRequest(get('http://h/loupe/models/manifest.json'), scope, files)).toBe('models');
    expect(routeRequest(get('http://h/other/', 'navigate'), scope, files)).toBe('network');
  });
});
