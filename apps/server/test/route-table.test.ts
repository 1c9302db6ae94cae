import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '@loupe/shared';
import { png, post, startServer, type TestServer } from './support/server';
import { decodedUploads, jobsSubmitted } from './support/observe';

const TOKEN = 'route-table-token';
const auth = { authorization: `Bearer ${TOKEN}` };

/** A concrete path for a route pattern: parameters and wildcards filled with harmless values. */
const concrete = (url: string) =>
  (url.startsWith('/') ? url : `/${url}`)
    .replace(/:[a-z]+/gi, '00000000-0000-4000-8000-000000000000')
    .replace(/\*$/, 'manifest.json');

/**
 * The ways one path can be spelled that a string test on the URL would miss: the router may
 * decode some of them to the protected route (so they must need the token) and must refuse
 * the others (404); none may reach a handler without the token.
 */
function spellings(path: string): string[] {
  const first = path.charCodeAt(1).toString(16);
  return [
    `/%${first}${path.slice(2)}`,
    `/%${first.toUpperCase()}${path.slice(2)}`,
    `/%25${first}${path.slice(2)}`,
    path.replace(/\/([a-z])/g, (_, c: string) => `/%${c.charCodeAt(0).toString(16)}`),
    path.toUpperCase(),
    path.slice(0, 2).toUpperCase() + path.slice(2),
    `${path}/`,
    `/${path}`,
    path.replace(/\//g, '//'),
    `${path}?x=/health`,
    `/health/..${path}`,
    `/.${path}`,
  ];
}

/**
 * Issue #10 item 1 and the route table: auth is decided on the route the router matched, for
 * every route the server registers (read from the server itself, so a new route cannot skip
 * this test), and every answer from any layer has the one error shape.
 */
describe('every registered route: auth and error shape', () => {
  let server: TestServer;
  beforeAll(async () => {
    // A high auth-failure limit: this test sends many unauthenticated requests on purpose.
    server = await startServer({ LOUPE_API_TOKEN: TOKEN, LOUPE_RATE_LIMIT_MAX: '100000' });
  });
  afterAll(() => server.close());

  const table = () => server.app.routeTable;

  it('knows every route, protected by its pattern', () => {
    const byUrl = new Map(table().map((r) => [`${r.method} ${r.url}`, r.access]));
    for (const route of [
      'POST /api/edit',
      'POST /api/jobs',
      'GET /api/jobs/:id',
      'DELETE /api/jobs/:id',
      'GET /api/jobs/:id/result',
      'GET /api/jobs/:id/events',
      'GET /api/jobs/:id/preview',
      'GET /api/gpu/status',
      'POST /api/gpu/offload',
      'POST /api/gpu/release',
      'GET /api/models',
      'POST /api/models/rescan',
      'GET /api/ops',
      'GET /api/limits',
      'GET /metrics',
      'POST /generate',
      'POST /mcp',
      'GET /mcp',
      'DELETE /mcp',
    ])
      expect(byUrl.get(route), route).toBe('token');
    for (const route of ['GET /health', 'GET /ready', 'GET /version', 'GET /docs', 'GET /models/*'])
      expect(byUrl.get(route), route).toBe('public');
    expect(
      table()
        .filter((r) => r.url.startsWith('/api'))
        .every((r) => r.access === 'token'),
    ).toBe(true);
  });

  it('without the token every protected route answers 401 in the error shape; public ones never do', async () => {
    for (const route of table()) {
      const res = await fetch(`${server.base}${concrete(route.url)}`, { method: route.method });
      const label = `${route.method} ${route.url}`;
      if (route.access === 'token') {
        expect(res.status, label).toBe(401);
        expect(res.headers.get('www-authenticate'), label).toBe('Bearer');
        if (route.method !== 'HEAD')
          expect(ErrorBodySchema.parse(await res.json()).error.code, label).toBe('UNAUTHORIZED');
      } else {
        expect(res.status, label).not.toBe(401);
        await res.arrayBuffer();
      }
    }
  });

  it('with the token every error any route answers has the one error shape', async () => {
    for (const route of table()) {
      if (route.method === 'HEAD' || route.method === 'OPTIONS') continue;
      const res = await fetch(`${server.base}${concrete(route.url)}`, {
        method: route.method,
        headers: auth,
      });
      const label = `${route.method} ${route.url} → ${res.status}`;
      expect(res.status, label).not.toBe(401);
      if (res.status >= 400) {
        expect(res.headers.get('content-type'), label).toMatch(/^application\/json/);
        ErrorBodySchema.parse(await res.json());
      } else await res.arrayBuffer();
    }
  });

  it('encoded, double-encoded, mixed-case, trailing-slash and // spellings never get past auth', async () => {
    const releasesBefore = server.app.supervisor
      .residency()
      .reduce((n, m) => n + m.counters.releases, 0);
    const decodedBefore = await decodedUploads(server.app);
    const jobsBefore = await jobsSubmitted(server.app);
    const image = await png(8, 8);
    const spa = await readFile(join(server.app.config.LOUPE_WEB_DIR, 'index.html'), 'utf8');
    for (const route of table()) {
      if (route.access !== 'token' || route.method === 'HEAD' || route.method === 'OPTIONS')
        continue;
      for (const path of spellings(concrete(route.url))) {
        const res =
          route.method === 'POST'
            ? await post(server.base, path, { image, op: 'invert' })
            : await fetch(`${server.base}${path}`, { method: route.method });
        const label = `${route.method} ${path} → ${res.status}`;
        if (res.status === 200) {
          // Unknown GET paths outside /api are the web app's own routes: its page, nothing else.
          expect(route.method, label).toBe('GET');
          expect(await res.text(), label).toBe(spa);
          continue;
        }
        expect([400, 401, 404], label).toContain(res.status);
        expect(ErrorBodySchema.safeParse(await res.json()).success, label).toBe(true);
      }
    }
    // The exact requests: each one reached a handler before.
    for (const [method, path] of [
      ['POST', '/%61pi/jobs'],
      ['POST', '/%61pi/edit'],
      ['GET', '/%61pi/gpu/status'],
      ['GET', '/%6detrics'],
      ['POST', '/%61pi/gpu/release'],
    ] as const) {
      const res =
        path.endsWith('/jobs') || path.endsWith('/edit')
          ? await post(server.base, path, { image, op: 'invert' })
          : await fetch(`${server.base}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
      await res.arrayBuffer();
    }
    expect(await jobsSubmitted(server.app)).toBe(jobsBefore);
    expect(await decodedUploads(server.app)).toBe(decodedBefore);
    expect(server.app.supervisor.residency().reduce((n, m) => n + m.counters.releases, 0)).toBe(
      releasesBefore,
    );
  });
});

describe('failed authentication is rate-limited per client (item 10)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ LOUPE_API_TOKEN: TOKEN, LOUPE_AUTH_FAIL_MAX: '5' });
  });
  afterAll(() => server.close());

  // inject() with other remote addresses: each guesser is its own client, no network needed.
  const guess = (remoteAddress: string, token: string) =>
    server.app.inject({
      method: 'GET',
      url: '/api/gpu/status',
      remoteAddress,
      headers: { authorization: `Bearer ${token}` },
    });

  it('after LOUPE_AUTH_FAIL_MAX wrong tokens a client gets 429 with Retry-After, even for the right token', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 80; i++)
      statuses.push((await guess('203.0.113.7', `guess-${i}`)).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    const blocked = await guess('203.0.113.7', TOKEN);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(ErrorBodySchema.parse(blocked.json()).error.code).toBe('RATE_LIMITED');
    // Another client is not affected, and a missing header is not a guess.
    expect((await guess('203.0.113.8', TOKEN)).statusCode).toBe(200);
    for (let i = 0; i < 10; i++)
      expect(
        (await server.app.inject({ url: '/api/ops', remoteAddress: '203.0.113.9' })).statusCode,
      ).toBe(401);
    expect((await guess('203.0.113.9', TOKEN)).statusCode).toBe(200);
  });
});
