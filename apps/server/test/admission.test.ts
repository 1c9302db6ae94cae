import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '@loupe/shared';
import { png, post, startServer, waitFor, type TestServer } from './support/server';
import {
  decodedUploads,
  decodingNow,
  jobsEnded,
  jobsSubmitted,
  tempFiles,
  until,
} from './support/observe';

/** One untiled run of ESRGAN thick (~14.5 MFLOP per input pixel): slow by construction. */
const HEAVY = { op: 'upscale', params: { model: 'thick', scale: 2 } } as const;

/** Issue #10 item 3: a full queue refuses before reading or decoding anything. */
describe('admission before decode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ LOUPE_WORKERS: '1', LOUPE_QUEUE_MAX: '0' });
  });
  afterAll(() => server.close());

  it('with the queue full a 9 MP upload is refused with 503 + Retry-After and never decoded', async () => {
    const busy = await post(server.base, '/api/jobs', { image: await png(256, 256), ...HEAVY });
    expect(busy.status).toBe(202);
    const { id } = (await busy.json()) as { id: string };
    await waitFor(() => server.app.jobs.get(id)?.state === 'running', 30_000, 'the job to run');

    const decodedBefore = await decodedUploads(server.app);
    const jobsBefore = await jobsSubmitted(server.app);
    // 3000² RGBA is 36 MB: over the inline limit, so a decode would write a temp file.
    const big = await png(3000, 3000);
    const b64 = big.toString('base64');
    for (const send of [
      () => post(server.base, '/api/edit', { image: big, op: 'invert' }),
      () => post(server.base, '/api/jobs', { image: big, op: 'invert' }),
      () =>
        fetch(`${server.base}/api/edit`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ image_base64: b64, op: 'invert' }),
        }),
    ]) {
      const res = await send();
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('QUEUE_FULL');
      expect(await tempFiles(server.app)).toEqual([]);
    }
    expect(await decodedUploads(server.app)).toBe(decodedBefore);
    expect(await jobsSubmitted(server.app)).toBe(jobsBefore);

    // The place is exact: once the running job ends, the next upload is admitted.
    await server.app.jobs.get(id)!.ended;
    const after = await post(server.base, '/api/edit', { image: await png(8, 8), op: 'invert' });
    expect(after.status).toBe(200);
  });
});

/** Issue #10 item 4: a sync edit whose client left is dropped wherever it was. */
describe('a client that hangs up during decode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('gets no job run, and the decoded temp file is removed', async () => {
    // 6000² decodes for a second or more into a temp file: the hang-up lands inside it. A
    // horizontal ramp keeps the PNG small (the upload limit is on bytes, not pixels).
    const ramp = Buffer.alloc(6000 * 6000 * 4, 255);
    for (let i = 0; i < ramp.length; i += 4) ramp[i] = (i >> 2) % 251;
    const image = await png(6000, 6000, ramp);
    expect(image.byteLength).toBeLessThan(server.app.config.LOUPE_MAX_UPLOAD_BYTES);
    const form = new FormData();
    form.set('image', new Blob([image]), 'big.png');
    form.set('op', 'invert');
    const controller = new AbortController();
    const sent = fetch(`${server.base}/api/edit`, {
      method: 'POST',
      body: form,
      signal: controller.signal,
    }).catch(() => 'aborted' as const);
    await until(async () => (await decodingNow(server.app)) === 1, 60_000, 'the decode to start');
    controller.abort();
    expect(await sent).toBe('aborted');

    await until(
      async () =>
        (await decodingNow(server.app)) === 0 && (await tempFiles(server.app)).length === 0,
      60_000,
      'the decode to end and its file to go',
    );
    expect(server.app.jobs.depth + server.app.jobs.runningCount).toBe(0);
    expect(await jobsEnded(server.app, 'succeeded')).toBe(0);
    // Left during the decode: no job at all (had the hang-up come after it, the job would be cancelled).
    const submitted = await jobsSubmitted(server.app);
    expect(await jobsEnded(server.app, 'cancelled')).toBe(submitted);
    expect(await decodedUploads(server.app)).toBe(1);
  });
});
