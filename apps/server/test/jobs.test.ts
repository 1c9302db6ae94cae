import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, JobSchema, TERMINAL_EVENT_TYPES } from '@loupe/shared';
import {
  decodeRgba,
  form,
  png,
  post,
  readEvents,
  startServer,
  waitFor,
  type TestServer,
} from './support/server';

const SECRET = 'test-callback-secret';

/** A real HTTP receiver on 127.0.0.1 standing in for the client's callback endpoint. */
function callbackReceiver() {
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.end('ok');
    });
  });
  return { server, received };
}

describe('jobs', () => {
  let server: TestServer;
  const receiver = callbackReceiver();
  let callbackUrl: string;

  beforeAll(async () => {
    await new Promise<void>((r) => receiver.server.listen(0, '127.0.0.1', r));
    callbackUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
    server = await startServer({
      LOUPE_QUEUE_MAX: '2',
      LOUPE_CALLBACK_SECRET: SECRET,
      LOUPE_CALLBACK_ALLOW: '127.0.0.1',
      // 600² inputs (1.4 MB of RGBA) cross inline, their 1200² results (5.8 MB) as files.
      LOUPE_IPC_INLINE_MAX_BYTES: String(2 * 1024 * 1024),
    });
  });
  afterAll(async () => {
    await server.close();
    receiver.server.close();
  });

  const job = async (id: string) =>
    JobSchema.parse(await (await fetch(`${server.base}/api/jobs/${id}`)).json());

  it('streams queued → started → progress → exactly one completed, then serves the result and a signed callback', async () => {
    const created = await post(server.base, '/api/jobs', {
      // Several CPU tiles (2×2 of 312²), so progress has several steps.
      image: await png(600, 600),
      op: 'upscale',
      params: { scale: 2 },
      callbackUrl,
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    expect(created.headers.get('location')).toBe(`/api/jobs/${id}`);

    const events = await readEvents(`${server.base}/api/jobs/${id}/events`);
    const types = events.map((e) => e.event);
    expect(types[0]).toBe('queued');
    expect(types[1]).toBe('started');
    expect(types.at(-1)).toBe('completed');
    expect(types.filter((t) => TERMINAL_EVENT_TYPES.includes(t as never))).toHaveLength(1);
    const progress = events.flatMap((e) => (e.data.type === 'progress' ? [e.data.progress] : []));
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.map((p) => p.done)).toEqual(
      [...progress.map((p) => p.done)].sort((a, b) => a - b),
    );
    expect(progress.at(-1)).toMatchObject({ done: progress.at(-1)!.total, unit: 'tile' });
    expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => i));

    // Resuming with Last-Event-ID replays only what came after.
    const resumed = await readEvents(`${server.base}/api/jobs/${id}/events`, {
      'last-event-id': String(events.length - 2),
    });
    expect(resumed.map((e) => e.event)).toEqual(['completed']);

    const done = await job(id);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(done.metadata?.output).toMatchObject({ width: 1200, height: 1200 });
    expect(done.resultExpiresAt).toBeDefined();
    // A retained result file is served as often as asked, with its length.
    for (let i = 0; i < 2; i++) {
      const result = await fetch(`${server.base}/api/jobs/${id}/result`);
      expect(result.headers.get('content-type')).toBe('image/png');
      const bytes = new Uint8Array(await result.arrayBuffer());
      expect(Number(result.headers.get('content-length'))).toBe(bytes.length);
      expect((await decodeRgba(bytes)).width).toBe(1200);
    }

    await waitFor(() => receiver.received.length > 0, 10_000, 'the callback');
    const { headers, body } = receiver.received[0]!;
    const timestamp = String(headers['x-loupe-timestamp']);
    const expected = createHmac('sha256', SECRET)
      .update(`${id}.${timestamp}.${body}`)
      .digest('hex');
    expect(headers['x-loupe-signature']).toBe(`sha256=${expected}`);
    expect(JobSchema.parse(JSON.parse(body))).toMatchObject({ id, state: 'succeeded' });
  });

  it('refuses a callback to a private address at creation', async () => {
    const res = await post(server.base, '/api/jobs', {
      image: await png(8, 8),
      op: 'invert',
      callbackUrl: 'http://169.254.169.254/latest/meta-data',
    });
    expect(res.status).toBe(400);
    const { error } = ErrorBodySchema.parse(await res.json());
    expect(error.fields?.[0]?.path).toBe('callbackUrl');
  });

  it('cancels queued and running jobs, and answers overflow with 503 + Retry-After', async () => {
    const slow = async () => {
      const res = await post(server.base, '/api/jobs', {
        image: await png(512, 512),
        op: 'upscale',
        params: { scale: 2 },
      });
      return { res, id: res.status === 202 ? ((await res.json()) as { id: string }).id : '' };
    };
    const running = await slow();
    await waitFor(
      () => server.app.jobs.get(running.id)?.progress?.done !== undefined,
      30_000,
      'the first job to start',
    );
    const queuedA = await slow();
    const queuedB = await slow();
    expect([queuedA.res.status, queuedB.res.status]).toEqual([202, 202]);
    expect((await job(queuedB.id)).position).toBe(1);

    const overflow = await slow();
    expect(overflow.res.status).toBe(503);
    expect(Number(overflow.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(ErrorBodySchema.parse(await overflow.res.json()).error.code).toBe('QUEUE_FULL');

    const notYet = await fetch(`${server.base}/api/jobs/${queuedA.id}/result`);
    expect(notYet.status).toBe(409);
    expect(ErrorBodySchema.parse(await notYet.json()).error.code).toBe('JOB_NOT_FINISHED');

    // Queued: gone at once, and the job behind it moves up.
    const eventsB = readEvents(`${server.base}/api/jobs/${queuedB.id}/events`);
    expect(
      JobSchema.parse(
        await (await fetch(`${server.base}/api/jobs/${queuedA.id}`, { method: 'DELETE' })).json(),
      ).state,
    ).toBe('cancelled');
    expect((await job(queuedB.id)).position).toBe(0);
    const cancelled = await fetch(`${server.base}/api/jobs/${queuedA.id}/result`);
    expect(ErrorBodySchema.parse(await cancelled.json()).error.code).toBe('JOB_CANCELLED');

    // Running: the child stops between tiles (no kill, no restart) and the next job starts promptly.
    const eventsRunning = readEvents(`${server.base}/api/jobs/${running.id}/events`);
    const pid = server.app.supervisor.workers[0]!.pid;
    const cancelAt = Date.now();
    await fetch(`${server.base}/api/jobs/${running.id}`, { method: 'DELETE' });
    const runningTypes = (await eventsRunning).map((e) => e.event);
    expect(runningTypes.at(-1)).toBe('cancelled');
    expect(runningTypes.filter((t) => TERMINAL_EVENT_TYPES.includes(t as never))).toHaveLength(1);
    await waitFor(
      () => server.app.jobs.get(queuedB.id)?.state === 'running',
      10_000,
      'the queued job to start',
    );
    const handoverMs = Date.now() - cancelAt;
    expect(server.app.supervisor.workers[0]!.pid).toBe(pid);
    expect(server.app.supervisor.restarts[0]).toBe(0);
    console.log(
      `cancel of a running job: next job started ${handoverMs} ms later (between tiles, same child)`,
    );

    await fetch(`${server.base}/api/jobs/${queuedB.id}`, { method: 'DELETE' });
    const typesB = (await eventsB).map((e) => e.event);
    expect(typesB).toEqual(expect.arrayContaining(['queued', 'started', 'cancelled']));
    expect(typesB.at(-1)).toBe('cancelled');
    expect(typesB.filter((t) => TERMINAL_EVENT_TYPES.includes(t as never))).toHaveLength(1);
  });

  it('POST /api/edit cancels its job when the client hangs up', async () => {
    await waitFor(() => server.app.jobs.runningCount === 0, 10_000, 'the previous job to stop');
    const pid = server.app.supervisor.workers[0]!.pid;
    const controller = new AbortController();
    const request = fetch(`${server.base}/api/edit`, {
      method: 'POST',
      body: form({ image: await png(512, 512), op: 'upscale', params: { scale: 2 } }),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await waitFor(() => server.app.jobs.runningCount === 1, 30_000, 'the edit to run');
    controller.abort();
    expect(await request).toBeInstanceOf(Error);
    // The child stops between tiles: the slot frees long before the ~10 s edit would have ended.
    await waitFor(() => server.app.jobs.runningCount === 0, 5_000, 'the worker to stop');
    expect(server.app.supervisor.workers[0]!.pid).toBe(pid);
    const metrics = await (await fetch(`${server.base}/metrics`)).text();
    expect(metrics).toMatch(
      /loupe_jobs_total\{op="upscale-slim-x2",ep="none",outcome="cancelled"\} [1-9]/,
    );
  });
});
