import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GpuActionResponseSchema,
  GpuStatusSchema,
  JobSchema,
  type JobEvent,
  type ResidencyAction,
} from '@loupe/shared';
import { png, post, startServer, waitFor, type TestServer } from './support/server';

describe('supervised inference children', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const submit = async (fields: Parameters<typeof post>[2]) => {
    const res = await post(server.base, '/api/jobs', fields);
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  };
  const status = async () =>
    GpuStatusSchema.parse(await (await fetch(`${server.base}/api/gpu/status`)).json());
  const finished = async (id: string) => {
    await server.app.jobs.get(id)!.ended;
    return JobSchema.parse(await (await fetch(`${server.base}/api/jobs/${id}`)).json());
  };
  /** SIGKILLs the child once per attempt, as soon as that attempt reports progress. */
  const killOnProgress = (id: string, attempts: number[]) => {
    const job = server.app.jobs.get(id)!;
    const killed = new Set<number>();
    const events: JobEvent[] = [...job.events];
    server.app.jobs.subscribe(job, (event) => {
      events.push(event);
      if (event.type !== 'progress' || !attempts.includes(job.attempts) || killed.has(job.attempts))
        return;
      killed.add(job.attempts);
      process.kill(server.app.supervisor.workers[0]!.pid!, 'SIGKILL');
    });
    return events;
  };

  it('a child killed with SIGKILL mid-job is restarted and the job is retried once, then succeeds', async () => {
    const restartsBefore = server.app.supervisor.restarts[0]!;
    const pidBefore = server.app.supervisor.workers[0]!.pid;
    const id = await submit({ image: await png(200, 200), op: 'upscale', params: { scale: 2 } });
    const events = killOnProgress(id, [1]);
    const job = await finished(id);
    expect(job).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(events.map((e) => e.type).filter((t) => t !== 'progress')).toEqual([
      'queued',
      'started',
      'queued',
      'started',
      'completed',
    ]);
    expect(server.app.supervisor.restarts[0]).toBe(restartsBefore + 1);
    expect(server.app.supervisor.workers[0]!.pid).not.toBe(pidBefore);
    const metrics = await (await fetch(`${server.base}/metrics`)).text();
    expect(metrics).toMatch(/loupe_worker_restarts_total\{worker="0"\} [1-9]/);
  });

  it('a job whose child dies twice fails with WORKER_CRASHED instead of hanging', async () => {
    const id = await submit({ image: await png(200, 200), op: 'upscale', params: { scale: 2 } });
    const events = killOnProgress(id, [1, 2]);
    const job = await finished(id);
    expect(job).toMatchObject({ state: 'failed', attempts: 2, error: { code: 'WORKER_CRASHED' } });
    expect(events.at(-1)?.type).toBe('failed');
    await waitFor(() => server.app.supervisor.allUp, 30_000, 'the child to come back');
  });

  it('residency: lazy load, offload keeps bytes (reload), release drops all, counters add up', async () => {
    await waitFor(() => server.app.supervisor.allUp, 30_000, 'the child');
    const model = 'filter-color-matrix';
    const residency = async () => (await status()).models.find((m) => m.id === model)!;
    const invert = async () =>
      expect(
        (await post(server.base, '/api/edit', { image: await png(16, 16), op: 'invert' })).status,
      ).toBe(200);
    const action = async (name: ResidencyAction, models?: string[]) =>
      GpuActionResponseSchema.parse(
        await (
          await fetch(`${server.base}/api/gpu/${name}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(models ? { models } : {}),
          })
        ).json(),
      );

    // The children above were restarted, so this child's counters start from zero.
    expect(await residency()).toMatchObject({
      residency: 'unloaded',
      counters: { loads: 0, offloads: 0, reloads: 0, releases: 0 },
    });
    await invert();
    await waitFor(
      () => server.app.supervisor.residency().find((m) => m.id === model)?.residency === 'device',
      5000,
      'the report',
    );
    expect(await residency()).toMatchObject({
      residency: 'device',
      inUse: 0,
      counters: { loads: 1 },
    });
    expect((await residency()).idleSeconds).toBeGreaterThanOrEqual(0);

    expect(await action('offload')).toMatchObject({
      action: 'offload',
      affected: [model],
      skippedInUse: [],
    });
    await waitFor(
      () => server.app.supervisor.residency().find((m) => m.id === model)?.residency === 'ram',
      5000,
      'the report',
    );
    await invert();
    await waitFor(
      () => server.app.supervisor.residency().find((m) => m.id === model)?.counters.reloads === 1,
      5000,
      'the report',
    );
    expect(await residency()).toMatchObject({
      residency: 'device',
      counters: { loads: 1, offloads: 1, reloads: 1, releases: 0 },
    });

    expect(await action('release', [model])).toMatchObject({
      action: 'release',
      affected: [model],
    });
    await waitFor(
      () => server.app.supervisor.residency().find((m) => m.id === model)?.residency === 'unloaded',
      5000,
      'the report',
    );
    await invert();
    await waitFor(
      () => server.app.supervisor.residency().find((m) => m.id === model)?.counters.loads === 2,
      5000,
      'the report',
    );
    expect(await residency()).toMatchObject({
      residency: 'device',
      counters: { loads: 2, offloads: 1, reloads: 1, releases: 1 },
    });

    // A model in use is skipped, never pulled from under the running job, and the job still succeeds.
    // 600² is four 312² tiles on CPU: the release below lands while the model is in use.
    const id = await submit({ image: await png(600, 600), op: 'upscale', params: { scale: 2 } });
    await waitFor(
      () => (server.app.jobs.get(id)?.progress?.done ?? 0) >= 1,
      30_000,
      'the upscale to run',
    );
    const during = await action('release', ['esrgan-slim-x2']);
    expect(during.skippedInUse).toEqual(['esrgan-slim-x2']);
    expect(during.affected).toEqual([]);
    const end = await finished(id);
    expect(end.error).toBeUndefined();
    expect(end.state).toBe('succeeded');
    const metrics = await (await fetch(`${server.base}/metrics`)).text();
    expect(metrics).toContain(
      'loupe_model_residency_events{model="filter-color-matrix",kind="loads"} 2',
    );
  });
});

describe('idle offload', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ LOUPE_IDLE_OFFLOAD_S: '1' });
  });
  afterAll(() => server.close());

  it('offloads a model idle for LOUPE_IDLE_OFFLOAD_S, keeping its bytes for a reload', async () => {
    expect(
      (await post(server.base, '/api/edit', { image: await png(16, 16), op: 'sepia' })).status,
    ).toBe(200);
    const find = () =>
      server.app.supervisor.residency().find((m) => m.id === 'filter-color-matrix');
    await waitFor(() => find()?.residency === 'device', 5000, 'the load');
    const loadedAt = Date.now();
    await waitFor(() => find()?.residency === 'ram', 10_000, 'the idle offload');
    expect(Date.now() - loadedAt).toBeGreaterThanOrEqual(500);
    expect(find()?.counters).toMatchObject({ loads: 1, offloads: 1 });
  });
});

describe('hard timeout', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ LOUPE_JOB_TIMEOUT_S: '3' });
  });
  afterAll(() => server.close());

  it('a job past LOUPE_JOB_TIMEOUT_S fails with INFERENCE_TIMEOUT and its child is replaced', async () => {
    const restartsBefore = server.app.supervisor.restarts[0]!;
    // ESRGAN thick (~14.5 MFLOP per input pixel) on one 256² tile is ~1 TFLOP: far beyond the
    // 3 s limit on any CPU we run on, and a single run() that only a kill can stop.
    const image = await png(256, 256);
    const started = Date.now();
    const res = await post(server.base, '/api/jobs', {
      image,
      op: 'upscale',
      params: { model: 'thick', scale: 2 },
    });
    const { id } = (await res.json()) as { id: string };
    await server.app.jobs.get(id)!.ended;
    const job = JobSchema.parse(await (await fetch(`${server.base}/api/jobs/${id}`)).json());
    const elapsed = Date.now() - started;
    expect(job).toMatchObject({ state: 'failed', error: { code: 'INFERENCE_TIMEOUT' } });
    expect(elapsed).toBeGreaterThanOrEqual(3000);
    expect(elapsed).toBeLessThan(8000);
    await waitFor(
      () => server.app.supervisor.restarts[0] === restartsBefore + 1,
      30_000,
      'the restart',
    );
    await waitFor(() => server.app.supervisor.allUp, 30_000, 'the replacement child');
  });
});
