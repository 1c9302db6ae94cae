import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PROTOCOL_VERSION,
  ErrorBodySchema,
  HealthSchema,
  JobSchema,
  ReadySchema,
  VersionSchema,
} from '@loupe/shared';
import { openEvents, png, post, startServer, waitFor, type TestServer } from './support/server';

const TOKEN = 'test-token';
/** One untiled run of ESRGAN thick (~14.5 MFLOP per input pixel): slow by construction. */
const HEAVY_SINGLE_RUN = {
  image: await png(256, 256),
  op: 'upscale',
  params: { model: 'thick', scale: 2 },
} as const;
const auth = { authorization: `Bearer ${TOKEN}` };

describe('probes, auth, rate limit, metrics, docs, shutdown', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      LOUPE_API_TOKEN: TOKEN,
      LOUPE_RATE_LIMIT_MAX: '60',
      LOUPE_DRAIN_TIMEOUT_S: '1',
    });
  });
  afterAll(() => server.close());

  it('/health keeps answering while a multi-second inference runs (the run never blocks the HTTP event loop)', async () => {
    // ESRGAN thick on one 256² tile is a single ~1 TFLOP onnxruntime run(): several seconds on
    // any CPU we run on, and it would block any event loop it ran on.
    const res = await post(server.base, '/api/jobs', HEAVY_SINGLE_RUN, auth);
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitFor(
      () => server.app.jobs.get(id)?.state === 'running',
      30_000,
      'the upscale to start',
    );
    await new Promise((r) => setTimeout(r, 300)); // let the child get into run()

    const latencies: number[] = [];
    while (server.app.jobs.get(id)?.state === 'running' && latencies.length < 40) {
      const start = performance.now();
      const health = await fetch(`${server.base}/health`);
      latencies.push(performance.now() - start);
      expect(HealthSchema.parse(await health.json()).status).toBe('ok');
      await new Promise((r) => setTimeout(r, 50));
    }
    const job = JobSchema.parse(
      await (await fetch(`${server.base}/api/jobs/${id}`, { headers: auth })).json(),
    );
    expect(latencies.length).toBeGreaterThanOrEqual(10); // the probes really overlapped the inference
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `/health during inference: n=${sorted.length} p50=${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms max=${sorted.at(-1)!.toFixed(1)} ms (job ${job.state})`,
    );
    await server.app.jobs.get(id)?.ended;
    const done = JobSchema.parse(
      await (await fetch(`${server.base}/api/jobs/${id}`, { headers: auth })).json(),
    );
    expect(done.state).toBe('succeeded');
    expect(done.metadata!.timings.inferMs).toBeGreaterThan(1000);
    // Relative to the run, not to a clock: a run() on this event loop would hold every probe for
    // the whole run, so ten probes each far shorter than it show the loop stayed free, whatever
    // the machine's load (which slows both alike).
    expect(sorted.at(-1)!).toBeLessThan(done.metadata!.timings.inferMs / 4);
    console.log(
      `the concurrent upscale ran ${Math.round(done.metadata!.timings.inferMs)} ms in the child`,
    );
  });

  it('requires the bearer token on /api and /metrics but not on the probes', async () => {
    for (const path of ['/health', '/ready', '/version'])
      expect((await fetch(`${server.base}${path}`)).status).toBe(200);
    const missing = await fetch(`${server.base}/api/ops`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(ErrorBodySchema.parse(await missing.json()).error.code).toBe('UNAUTHORIZED');
    expect(
      (await fetch(`${server.base}/api/ops`, { headers: { authorization: 'Bearer wrong' } }))
        .status,
    ).toBe(401);
    expect((await fetch(`${server.base}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.base}/api/ops`, { headers: auth })).status).toBe(200);
  });

  it('/ready, /version and /metrics report real state', async () => {
    const ready = ReadySchema.parse(await (await fetch(`${server.base}/ready`)).json());
    expect(ready).toEqual({
      ready: true,
      checks: { manifest: true, workers: true, ep: true, draining: false, deviceHealthy: true },
    });
    const version = VersionSchema.parse(await (await fetch(`${server.base}/version`)).json());
    expect(version).toMatchObject({
      name: 'loupe',
      protocol: PROTOCOL_VERSION,
      onnxruntime: '1.29.0',
      node: process.version,
    });
    const metrics = await (await fetch(`${server.base}/metrics`, { headers: auth })).text();
    expect(metrics).toMatch(
      /loupe_jobs_total\{op="upscale-thick-x2",ep="cpu",outcome="succeeded"\} 1/,
    );
    expect(metrics).toMatch(/loupe_job_infer_seconds_count\{op="upscale-thick-x2",ep="cpu"\} 1/);
    expect(metrics).toMatch(
      /loupe_http_requests_total\{method="GET",route="\/health",status="200"\} \d+/,
    );
    expect(metrics).toContain('loupe_queue_depth 0');
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
    expect(metrics).toContain('process_resident_memory_bytes');
    expect(metrics).toMatch(
      /loupe_model_residency_events\{model="esrgan-thick-x2",kind="loads"\} 1/,
    );
  });

  it('serves OpenAPI generated from the shared schemas at /docs', async () => {
    const doc = (await (await fetch(`${server.base}/docs/json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const path of [
      '/api/edit',
      '/api/jobs',
      '/api/jobs/{id}',
      '/api/jobs/{id}/events',
      '/api/jobs/{id}/result',
      '/api/ops',
      '/api/limits',
      '/api/models',
      '/api/gpu/status',
      '/api/gpu/offload',
      '/api/gpu/release',
      '/health',
      '/ready',
      '/version',
      '/metrics',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const jobSchema = JSON.stringify(doc.paths['/api/jobs/{id}']);
    expect(jobSchema).toContain('"enum":["queued","running","succeeded","failed","cancelled"]');
    const limitsSchema = JSON.stringify(doc.paths['/api/limits']);
    for (const field of ['formats', 'extensions', 'maxUploadBytes', 'maxInputPixels'])
      expect(limitsSchema).toContain(`"${field}"`);
    const ui = await fetch(`${server.base}/docs`, { redirect: 'follow' });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('/api/ops lists the catalog with JSON Schema params; /api/models flags copyleft', async () => {
    const ops = (await (await fetch(`${server.base}/api/ops`, { headers: auth })).json()) as {
      ops: {
        id: string;
        params: { properties: Record<string, { default?: unknown }> };
        defaultModels: string[];
      }[];
    };
    const upscale = ops.ops.find((o) => o.id === 'upscale')!;
    expect(upscale.params.properties.scale!.default).toBe(2);
    expect(upscale.defaultModels).toEqual(['esrgan-slim-x2']);
    const models = (await (await fetch(`${server.base}/api/models`, { headers: auth })).json()) as {
      models: {
        id: string;
        license: string;
        copyleft: boolean;
        residency: { residency: string };
      }[];
    };
    const isnet = models.models.find((m) => m.id === 'isnet-quint8');
    if (isnet) expect(isnet).toMatchObject({ license: 'AGPL-3.0', copyleft: true });
    expect(models.models.find((m) => m.id === 'esrgan-thick-x2')).toMatchObject({
      license: 'MIT',
      copyleft: false,
      residency: { residency: 'device' },
    });
  });

  it('answers 429 RATE_LIMITED with Retry-After past the per-client limit', async () => {
    let limited: Response | undefined;
    for (let i = 0; i < 70 && !limited; i++) {
      const res = await fetch(`${server.base}/api/gpu/status`, { headers: auth });
      if (res.status === 429) limited = res;
      else await res.arrayBuffer();
    }
    expect(limited).toBeDefined();
    expect(ErrorBodySchema.parse(await limited!.json()).error.code).toBe('RATE_LIMITED');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${server.base}/health`)).status).toBe(200);
  });
});

describe('graceful shutdown', () => {
  it('stops admitting, drains, ends every SSE stream with one terminal event, then stops the children', async () => {
    const server = await startServer({ LOUPE_DRAIN_TIMEOUT_S: '1' });
    const res = await post(server.base, '/api/jobs', HEAVY_SINGLE_RUN);
    const { id } = (await res.json()) as { id: string };
    await waitFor(() => server.app.jobs.get(id)?.state === 'running', 30_000, 'the job to start');
    const events = (await openEvents(`${server.base}/api/jobs/${id}/events`))();
    const pid = server.app.supervisor.workers[0]!.pid!;
    const closing = server.close();
    await waitFor(() => server.app.jobs.isDraining, 5000, 'draining');
    const refused = await post(server.base, '/api/jobs', {
      image: await png(8, 8),
      op: 'invert',
    }).catch(() => undefined);
    if (refused) expect(refused.status).toBe(503);
    const types = (await events).map((e) => e.event);
    expect(types.at(-1)).toBe('cancelled');
    expect(types.filter((t) => ['completed', 'failed', 'cancelled'].includes(t))).toHaveLength(1);
    expect((await events).at(-1)!.data).toMatchObject({
      type: 'cancelled',
      reason: 'server shutting down',
    });
    await closing;
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
