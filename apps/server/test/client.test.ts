import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLoupeClient,
  InvalidResponseError,
  LoupeApiError,
  type Fetch,
  type LoupeClient,
} from '@loupe/client';
import {
  DEFAULT_UPLOAD_LIMITS,
  IMAGE_FORMATS,
  isLoupeError,
  OP_IDS,
  PROTOCOL_VERSION,
  SERVER_IMAGE_FORMATS,
  type JobEvent,
} from '@loupe/shared';
import {
  decodeRgba,
  pattern,
  png,
  readEvents,
  startServer,
  waitFor,
  type TestServer,
} from './support/server';

const TOKEN = 'client-test-token';
const auth = { authorization: `Bearer ${TOKEN}` };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

async function collect(events: AsyncIterable<JobEvent>): Promise<JobEvent[]> {
  const out: JobEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

const blobBytes = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

/**
 * The real fetch, except that the first event stream it opens drops (as a lost connection
 * does, TypeError: terminated) right after its `frames`-th frame. It keeps every request's headers.
 */
function droppingFetch(frames: number) {
  const requests: { url: string; headers: Headers }[] = [];
  let dropped = false;
  const fetchFn: Fetch = async (url, init) => {
    requests.push({ url, headers: new Headers(init.headers) });
    const res = await fetch(url, init);
    if (dropped || !url.endsWith('/events') || !res.body) return res;
    dropped = true;
    return new Response(firstFrames(res.body, frames), {
      status: res.status,
      headers: res.headers,
    });
  };
  return { fetch: fetchFn, requests };
}

function firstFrames(body: ReadableStream<Uint8Array>, frames: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let sent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Erroring in the same pull would discard the frames just enqueued.
      if (sent) return controller.error(new TypeError('terminated'));
      const { value, done } = await reader.read();
      if (done) return controller.close();
      text += decoder.decode(value, { stream: true });
      const complete = text.split('\n\n').slice(0, -1);
      if (complete.length < frames) return;
      controller.enqueue(new TextEncoder().encode(`${complete.slice(0, frames).join('\n\n')}\n\n`));
      sent = true;
      await reader.cancel();
    },
  });
}

describe('@loupe/client against the real server', () => {
  let server: TestServer;
  let client: LoupeClient;
  beforeAll(async () => {
    server = await startServer({ LOUPE_API_TOKEN: TOKEN });
    client = createLoupeClient({ baseUrl: server.base, token: TOKEN });
  });
  afterAll(() => server.close());

  it('edits to an image with the metadata header, and to JSON', async () => {
    const input = pattern(8, 8);
    const { image, metadata } = await client.edit(await png(8, 8), { op: 'invert' });
    expect(image.type).toBe('image/png');
    const out = await decodeRgba(await blobBytes(image));
    expect([out.width, out.height]).toEqual([8, 8]);
    expect([...out.data.subarray(0, 4)]).toEqual([
      255 - input[0]!,
      255 - input[1]!,
      255 - input[2]!,
      input[3],
    ]);
    expect(metadata).toMatchObject({ steps: [{ op: 'invert' }], placement: 'server', ep: 'cpu' });

    // A Blob in, steps, JPEG out: what the browser sends.
    const json = await client.edit(new Blob([new Uint8Array(await png(12, 6))]), {
      steps: [{ op: 'invert' }, { op: 'grayscale' }],
      format: 'jpeg',
      quality: 80,
      response: 'json',
    });
    expect(json.mime).toBe('image/jpeg');
    expect(json.metadata.steps.map((s) => s.op)).toEqual(['invert', 'grayscale']);
    expect(json.metadata.output).toEqual({ width: 12, height: 6, format: 'jpeg' });
    const decoded = await decodeRgba(Buffer.from(json.image_base64, 'base64'));
    expect([decoded.width, decoded.height]).toEqual([12, 6]);
  });

  it('sends `compression`: the same pixels in other bytes', async () => {
    const image = await png(64, 48);
    const [fast, small] = await Promise.all(
      (['fast', 'small'] as const).map(async (compression) =>
        blobBytes((await client.edit(image, { op: 'invert', compression })).image),
      ),
    );
    expect(Buffer.compare(Buffer.from(fast!), Buffer.from(small!))).not.toBe(0);
    expect(Buffer.compare((await decodeRgba(fast!)).data, (await decodeRgba(small!)).data)).toBe(0);
  });

  it('maps an error answer to LoupeApiError with code, status, fields and request id', async () => {
    const error = await rejection(
      client.edit(await png(8, 8), { op: 'upscale', params: { scale: 5 } }),
    );
    expect(error).toBeInstanceOf(LoupeApiError);
    const e = error as LoupeApiError;
    expect([e.code, e.status]).toEqual(['INVALID_PARAMS', 400]);
    expect(e.fields?.map((f) => f.path)).toEqual(['params.scale']);
    expect(e.requestId).toBeTruthy();
    expect(e.retryAfter).toBeUndefined();

    const anonymous = await rejection(createLoupeClient({ baseUrl: server.base }).gpuStatus());
    expect(anonymous).toBeInstanceOf(LoupeApiError);
    expect([(anonymous as LoupeApiError).code, (anonymous as LoupeApiError).status]).toEqual([
      'UNAUTHORIZED',
      401,
    ]);

    const missing = await rejection(collect(client.jobEvents('no-such-job')));
    expect((missing as LoupeApiError).code).toBe('NOT_FOUND');
  });

  it('follows a job over a dropped event stream: resumes by Last-Event-ID with no duplicate and no gap', async () => {
    const network = droppingFetch(2);
    const dropping = createLoupeClient({
      baseUrl: server.base,
      token: TOKEN,
      fetch: network.fetch,
    });
    // 512² ×2 on CPU: 2×2 tiles, so the job outlives the drop and has progress to resume into.
    const created = await dropping.createJob(await png(512, 512), {
      op: 'upscale',
      params: { scale: 2 },
    });
    expect(['queued', 'running']).toContain(created.state);

    const seen = await collect(dropping.jobEvents(created.id, { reconnectDelayMs: 10 }));
    const all = (await readEvents(`${server.base}/api/jobs/${created.id}/events`, auth)).map(
      (e) => e.data,
    );
    expect(seen).toEqual(all);
    expect(seen.map((e) => e.type)).toEqual([
      'queued',
      'started',
      ...Array<string>(seen.length - 3).fill('progress'),
      'completed',
    ]);
    const streams = network.requests.filter((r) => r.url.endsWith('/events'));
    expect(streams.map((r) => r.headers.get('last-event-id'))).toEqual([null, '1']);
    expect(streams.every((r) => r.headers.get('authorization') === auth.authorization)).toBe(true);

    const job = await client.job(created.id);
    expect(job).toMatchObject({ state: 'succeeded', metadata: { output: { width: 1024 } } });
    const result = await client.jobResult(created.id);
    expect(result.type).toBe('image/png');
    expect((await decodeRgba(await blobBytes(result))).width).toBe(1024);
  });

  it('cancels a job: the stream ends on the cancel event and the result is refused', async () => {
    const { id } = await client.createJob(await png(512, 512), {
      op: 'upscale',
      params: { scale: 2 },
    });
    const events = collect(client.jobEvents(id));
    expect((await client.cancelJob(id)).state).toBe('cancelled');
    expect((await events).at(-1)).toMatchObject({
      type: 'cancelled',
      reason: 'cancelled by the client',
    });
    const refused = await rejection(client.jobResult(id));
    expect([(refused as LoupeApiError).code, (refused as LoupeApiError).status]).toEqual([
      'JOB_CANCELLED',
      409,
    ]);
  });

  it('reads GPU status and moves models off the device and out of memory', async () => {
    // The cancelled job's child stops between tiles; until then its model is in use.
    await waitFor(
      () => server.app.supervisor.workers.every((w) => w?.state === 'idle'),
      30_000,
      'the worker to be idle',
    );
    await client.edit(await png(8, 8), { op: 'upscale', params: { scale: 2 } });
    const status = await client.gpuStatus();
    expect(status.ep).toBe('cpu');
    expect(status.queue).toMatchObject({ running: 0, concurrency: 1 });
    expect(status.workers).toHaveLength(1);
    const loaded = status.models.filter((m) => m.residency !== 'unloaded').map((m) => m.id);
    expect(loaded).toContain('esrgan-slim-x2');

    const offloaded = await client.offload({ models: ['esrgan-slim-x2'] });
    expect(offloaded).toEqual({
      action: 'offload',
      affected: ['esrgan-slim-x2'],
      skippedInUse: [],
    });
    const released = await client.release();
    expect(released.action).toBe('release');
    expect(released.affected).toEqual(expect.arrayContaining(loaded));
    // The child reports its new residency just after answering the action, so poll for it.
    await expect
      .poll(async () => (await client.gpuStatus()).models.filter((m) => m.residency !== 'unloaded'))
      .toEqual([]);
  });

  it('lists models (as the manifest has them) and ops, and answers the probes', async () => {
    const [models, manifest, ops] = await Promise.all([
      client.models(),
      client.manifest(),
      client.ops(),
    ]);
    expect(models.models.map((m) => m.id)).toEqual(manifest.models.map((m) => m.id));
    expect(models.models.find((m) => m.id === 'isnet-quint8')).toMatchObject({ copyleft: true });
    expect(ops.ops.map((o) => o.id)).toEqual([...OP_IDS]);
    expect(await client.health()).toMatchObject({ status: 'ok' });
    expect((await client.ready()).ready).toBe(true);
    expect(await client.version()).toMatchObject({ name: 'loupe', protocol: PROTOCOL_VERSION });
  });

  it('reads the upload limits: with no LOUPE_MAX_* set, the shared defaults clients assume', async () => {
    const limits = await client.limits();
    expect(limits).toEqual(DEFAULT_UPLOAD_LIMITS);
    expect(limits.formats.map((f) => f.id)).toEqual(SERVER_IMAGE_FORMATS);
    expect(limits.formats.find((f) => f.id === 'jpeg')).toEqual({
      id: 'jpeg',
      name: 'JPEG',
      mime: 'image/jpeg',
      extensions: ['.jpg', '.jpeg'],
    });
    // What only browsers decode is not offered for upload.
    expect(limits.formats.map((f) => f.id)).not.toContain('bmp');
    expect(IMAGE_FORMATS.bmp.server).toBe(false);
    const anonymous = await rejection(createLoupeClient({ baseUrl: server.base }).limits());
    expect((anonymous as LoupeApiError).code).toBe('UNAUTHORIZED');
  });

  it('rejects with CANCELLED when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const e = await rejection(client.gpuStatus({ signal: controller.signal }));
    expect(isLoupeError(e) && e.code).toBe('CANCELLED');
  });
});

describe('the limits the client reads are the ones the server enforces', () => {
  let server: TestServer;
  let client: LoupeClient;
  const configured = { bytes: 300 * 1024, pixels: 100 * 100, output: 200 * 200, webp: 150 * 150 };
  beforeAll(async () => {
    server = await startServer({
      LOUPE_MAX_UPLOAD_BYTES: String(configured.bytes),
      LOUPE_MAX_INPUT_PIXELS: String(configured.pixels),
      LOUPE_MAX_OUTPUT_PIXELS: String(configured.output),
      LOUPE_MAX_WEBP_OUTPUT_PIXELS: String(configured.webp),
    });
    client = createLoupeClient({ baseUrl: server.base });
  });
  afterAll(() => server.close());

  it('answers the configured values, and an upload just past each is refused with that limit', async () => {
    const limits = await client.limits();
    expect(limits).toEqual({
      formats: DEFAULT_UPLOAD_LIMITS.formats,
      maxUploadBytes: configured.bytes,
      maxInputPixels: configured.pixels,
      maxOutputPixels: configured.output,
      maxWebpOutputPixels: configured.webp,
    });

    const side = Math.sqrt(limits.maxInputPixels);
    expect((await client.edit(await png(side, side), { op: 'invert' })).metadata.output).toEqual({
      width: side,
      height: side,
      format: 'png',
    });
    const tooManyPixels = await rejection(client.edit(await png(side + 1, side), { op: 'invert' }));
    expect([
      (tooManyPixels as LoupeApiError).code,
      (tooManyPixels as LoupeApiError).status,
    ]).toEqual(['IMAGE_TOO_LARGE', 413]);
    const tooManyBytes = await rejection(
      client.edit(new Uint8Array(limits.maxUploadBytes + 1), { op: 'invert' }),
    );
    expect([(tooManyBytes as LoupeApiError).code, (tooManyBytes as LoupeApiError).status]).toEqual([
      'PAYLOAD_TOO_LARGE',
      413,
    ]);
    // 100² ×2 is 200²: the output limit exactly, past the WebP one; ×3 is past both.
    const upscale = (scale: 2 | 3, format: 'png' | 'webp') =>
      client.edit(image, { op: 'upscale', params: { scale }, format });
    const image = await png(side, side);
    expect((await upscale(2, 'png')).metadata.output.width).toBe(2 * side);
    const webp = (await rejection(upscale(2, 'webp'))) as LoupeApiError;
    expect([webp.code, webp.status, webp.fields?.map((f) => f.path)]).toEqual([
      'OUTPUT_TOO_LARGE',
      422,
      ['format'],
    ]);
    const output = (await rejection(upscale(3, 'png'))) as LoupeApiError;
    expect([output.code, output.status]).toEqual(['OUTPUT_TOO_LARGE', 422]);
  });
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A stand-in on 127.0.0.1 that answers what Loupe never should, to see the client notice. */
async function standIn(handler: Handler): Promise<{ base: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const at = '2026-01-01T00:00:00.000Z';
const frame = (id: number, event: object) =>
  `id: ${id}\ndata: ${JSON.stringify({ v: PROTOCOL_VERSION, jobId: 'j', at, ...event })}\n\n`;

describe('@loupe/client against answers outside the contract', () => {
  const stand: { base: string; server: Server }[] = [];
  const start = async (handler: Handler) => {
    const s = await standIn(handler);
    stand.push(s);
    return createLoupeClient({ baseUrl: s.base });
  };
  afterAll(() =>
    stand.forEach((s) => {
      s.server.closeAllConnections();
      s.server.close();
    }),
  );

  it('reports a body that fails the schema as InvalidResponseError, naming the call and the field', async () => {
    const client = await start((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/gpu/status') res.end(JSON.stringify({ ep: 'quantum' }));
      else if (req.url === '/health') res.end('<html>not json</html>');
      else res.writeHead(418).end('{"teapot":true}');
    });
    const status = await rejection(client.gpuStatus());
    expect(status).toBeInstanceOf(InvalidResponseError);
    const e = status as InvalidResponseError;
    expect([e.code, e.endpoint, e.status]).toEqual(['INTERNAL', 'GET /api/gpu/status', 200]);
    expect(e.issues.map((i) => i.path)).toContain('ep');
    expect(e.message).toContain('GET /api/gpu/status');

    const health = (await rejection(client.health())) as InvalidResponseError;
    expect(health).toBeInstanceOf(InvalidResponseError);
    expect(health.issues[0]?.message).toContain('not JSON');

    // An error status without Loupe's error body is not a Loupe answer either.
    const teapot = (await rejection(client.models())) as InvalidResponseError;
    expect(teapot).toBeInstanceOf(InvalidResponseError);
    expect(teapot.status).toBe(418);
  });

  it('reads Retry-After, and a bare 502 from a proxy as SERVER_UNREACHABLE', async () => {
    const client = await start((req, res) => {
      if (req.url === '/api/models') return res.writeHead(502).end('Bad Gateway');
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'slow down' } }));
    });
    const limited = (await rejection(client.ops())) as LoupeApiError;
    expect(limited).toBeInstanceOf(LoupeApiError);
    expect([limited.code, limited.status, limited.retryAfter]).toEqual(['RATE_LIMITED', 429, 7]);
    const proxy = (await rejection(client.models())) as LoupeApiError;
    expect([proxy.code, proxy.status]).toEqual(['SERVER_UNREACHABLE', 502]);
  });

  it('reconnects a stream that drops after every event, and gives up on one that never delivers', async () => {
    const lastIds: (string | undefined)[] = [];
    const events = [
      { type: 'queued', position: 0 },
      { type: 'started', attempt: 1 },
      { type: 'progress', progress: { done: 1, total: 1, unit: 'tile', stage: 'Upscaling ×2' } },
      { type: 'cancelled', reason: 'enough' },
    ];
    const client = await start((req, res) => {
      const last = req.headers['last-event-id'] as string | undefined;
      lastIds.push(last);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const next = last === undefined ? 0 : Number(last) + 1;
      if (req.url === '/api/jobs/silent/events' || next >= events.length) return res.end();
      res.end(frame(next, events[next]!));
    });
    const seen = await collect(
      client.jobEvents('one-by-one', { reconnects: 1, reconnectDelayMs: 0 }),
    );
    expect(seen.map((e) => e.type)).toEqual(['queued', 'started', 'progress', 'cancelled']);
    expect(lastIds).toEqual([undefined, '0', '1', '2']);

    lastIds.length = 0;
    const silent = await rejection(
      collect(client.jobEvents('silent', { reconnects: 2, reconnectDelayMs: 0 })),
    );
    expect(isLoupeError(silent) && silent.code).toBe('SERVER_UNREACHABLE');
    expect(lastIds).toHaveLength(3);
  });

  it('stops following at once when the signal aborts, without reconnecting', async () => {
    let requests = 0;
    const client = await start((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(frame(0, { type: 'queued', position: 0 }));
    });
    const controller = new AbortController();
    const seen: string[] = [];
    const e = await rejection(
      (async () => {
        for await (const event of client.jobEvents('j', { signal: controller.signal })) {
          seen.push(event.type);
          controller.abort();
        }
      })(),
    );
    expect(isLoupeError(e) && e.code).toBe('CANCELLED');
    expect([seen, requests]).toEqual([['queued'], 1]);
  });

  it('refuses a job event of another protocol version', async () => {
    const client = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        `id: 0\ndata: ${JSON.stringify({ v: PROTOCOL_VERSION + 1, jobId: 'j', at, type: 'queued', position: 0 })}\n\n`,
      );
    });
    const e = (await rejection(collect(client.jobEvents('j')))) as InvalidResponseError;
    expect(e).toBeInstanceOf(InvalidResponseError);
    expect(e.issues.map((i) => i.path)).toEqual(['v']);
  });

  it('reports a server that is not there as SERVER_UNREACHABLE', async () => {
    const { base, server } = await standIn(() => {});
    await new Promise((r) => server.close(r));
    const e = await rejection(createLoupeClient({ baseUrl: base }).health());
    expect(isLoupeError(e) && e.code).toBe('SERVER_UNREACHABLE');
  });
});
