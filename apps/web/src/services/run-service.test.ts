import { createLoupeClient, type LoupeClient } from '@loupe/client';
import {
  LoupeError,
  parsePipeline,
  type LocalDeviceInfo,
  type RgbaImage,
  type Step,
} from '@loupe/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserInference } from '../inference/client';
import { encodePng } from '../lib/png';
import { createRunService, type RunContext, type RunService } from './run-service';
import { ProtocolWorker } from './testing/protocol-worker';
import { decodeImage, jpegOf, startServer, type RealServer } from './testing/real-server';
import { createThroughputStore, type ThroughputStore } from './throughput-store';

const steps = (raw: unknown): Step[] => {
  const parsed = parsePipeline(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};
const UPSCALE = steps([{ op: 'upscale', params: { model: 'slim', scale: 2 } }]);
const THREE_STEPS = steps([
  { op: 'upscale', params: { model: 'slim', scale: 2 } },
  { op: 'adjust', params: { exposure: 1 } },
  { op: 'invert' },
]);
const INVERT_THRICE = steps([{ op: 'invert' }, { op: 'invert' }, { op: 'invert' }]);

/** What headless Debian Chromium reports: WebGPU only on SwiftShader, a software adapter. */
const SWIFTSHADER: LocalDeviceInfo = {
  webgpu: {
    vendor: 'google',
    architecture: 'swiftshader',
    device: '',
    description: '',
    isFallbackAdapter: true,
    shaderF16: false,
    limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 27 },
  },
  deviceMemoryGb: 8,
  hardwareConcurrency: 2,
  crossOriginIsolated: true,
};

/** Opaque pixels whose channels all differ (x, y and channel mixed), so any wrong step shows. */
function pattern(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    const y = Math.floor(i / width);
    data.set([(x * 37 + y * 3) & 255, (x * 5 + y * 59) & 255, ((x ^ y) * 11) & 255, 255], i * 4);
  }
  return { width, height, data };
}

const inverted = (img: RgbaImage): RgbaImage => ({
  ...img,
  data: img.data.map((v, i) => (i % 4 === 3 ? v : 255 - v)),
});

let server: RealServer;
let api: LoupeClient;
let context: RunContext;

beforeAll(async () => {
  server = await startServer();
  api = createLoupeClient({ baseUrl: server.url });
  const [ready, gpu, manifest, limits] = await Promise.all([
    api.ready(),
    api.gpuStatus(),
    api.manifest(),
    api.limits(),
  ]);
  context = {
    mode: 'auto',
    browserEp: null,
    device: SWIFTSHADER,
    server: {
      ready: ready.ready,
      queueDepth: gpu.queue.depth,
      capacity: gpu.queue.capacity,
      ep: gpu.ep,
      expectedWaitMs: gpu.queue.expectedWaitMs ?? 0,
      limits,
    },
    models: manifest.models,
  };
}, 120_000);
afterAll(() => server?.stop());

/** A run service on the real server; browser runs go to `worker()`'s protocol worker. */
function service(
  worker: () => ProtocolWorker = () => new ProtocolWorker(inverted),
  throughput?: ThroughputStore,
) {
  const created: ProtocolWorker[] = [];
  const inference = createBrowserInference({
    createWorker: () => {
      const w = worker();
      created.push(w);
      return w as unknown as Worker;
    },
  });
  const jobs: string[] = [];
  const runs: RunService = createRunService({
    browser: () => inference,
    api: {
      ...api,
      createJob: async (...args) => {
        const job = await api.createJob(...args);
        jobs.push(job.id);
        return job;
      },
    },
    encode: encodePng,
    decode: decodeImage,
    ...(throughput ? { throughput } : {}),
  });
  return { runs, created, jobs };
}

describe('run service: placement for exactly what runs', () => {
  it('places each picture of a batch for its own size', () => {
    const { runs } = service();
    const placed = [16, 160, 256].map((side) => {
      const d = runs.place(context, { size: { width: side, height: side }, steps: UPSCALE });
      return [side, d.where, d.reasonCode];
    });
    // 16² is a 0.1 GFLOP edit, quicker on WASM here than a round trip; 160² and 256² take
    // seconds of WASM on two cores where the server's CPU takes a fraction of one.
    expect(placed).toEqual([
      [16, 'browser', 'quicker-here'],
      [160, 'server', 'quicker-on-server'],
      [256, 'server', 'quicker-on-server'],
    ]);
  });

  it('places a re-run for all the steps it runs, not just the edited one', () => {
    const { runs } = service();
    const size = { width: 64, height: 64 };
    const twice = steps([{ op: 'upscale' }, { op: 'upscale' }]);
    expect(runs.place(context, { size, steps: UPSCALE }).where).toBe('browser');
    // The second upscale works on 128²: 9 GFLOP in all, seconds of WASM here.
    expect(runs.place(context, { size, steps: twice }).where).toBe('server');
  });

  it("reports an edit over the server's limit before anything is sent", async () => {
    const { runs, jobs } = service();
    const huge = steps([{ op: 'resize', params: { mode: 'size', width: 20_000, height: 20_000 } }]);
    const forced = { ...context, mode: 'server' as const };
    const d = runs.place(forced, { size: { width: 8, height: 8 }, steps: huge });
    expect([d.reasonCode, d.error]).toEqual(['forced-server-over-limit', 'OUTPUT_TOO_LARGE']);
    await expect(runs.run(forced, { image: pattern(8, 8), steps: huge })).rejects.toMatchObject({
      code: 'OUTPUT_TOO_LARGE',
    });
    expect(jobs).toHaveLength(0);
  });

  it('runs where it placed: the small picture in the browser, the large one on the server', async () => {
    const { runs, created, jobs } = service();
    const small = await runs.run(context, {
      image: pattern(16, 16),
      steps: steps([{ op: 'invert' }]),
    });
    expect(small.decision.where).toBe('browser');
    expect(created).toHaveLength(1);
    expect(jobs).toHaveLength(0);
    const large = await runs.run(context, { image: pattern(160, 160), steps: UPSCALE });
    expect([large.decision.where, large.metadata.placement]).toEqual(['server', 'server']);
    expect([large.image.width, large.image.height]).toEqual([320, 320]);
    expect(jobs).toHaveLength(1);
    expect(created[0]!.runs).toHaveLength(1);
  }, 60_000);
});

describe('run service: on the server', () => {
  it('runs a three-step pipeline as one job: one upload, one job, one result', async () => {
    const { runs, jobs } = service();
    const image = pattern(24, 24);
    const before = {
      jobs: await server.metric('loupe_jobs_submitted_total'),
      uploads: await server.metric('loupe_uploads_decoded_total'),
    };
    const result = await runs.run({ ...context, mode: 'server' }, { image, steps: THREE_STEPS });
    expect(await server.metric('loupe_jobs_submitted_total')).toBe(before.jobs + 1);
    expect(await server.metric('loupe_uploads_decoded_total')).toBe(before.uploads + 1);
    expect(jobs).toHaveLength(1);
    expect(result.metadata.steps.map((s) => s.op)).toEqual(['upscale', 'adjust', 'invert']);
    // The same pipeline through POST /api/edit: the job ran every step, not just the last.
    const reference = await api.edit(await encodePng(image), { steps: THREE_STEPS, format: 'png' });
    const expected = await decodeImage(reference.image);
    expect([result.image.width, result.image.height]).toEqual([48, 48]);
    expect(Buffer.from(result.image.data).equals(Buffer.from(expected.data))).toBe(true);
  }, 60_000);

  it('cancelling deletes the job on the server and rejects with CANCELLED', async () => {
    const { runs, jobs } = service();
    const controller = new AbortController();
    // 256² through ESRGAN medium ×4 on the CPU: many tiles, so it is still running when cancelled.
    const run = runs.run(
      { ...context, mode: 'server' },
      {
        image: pattern(256, 256),
        steps: steps([{ op: 'upscale', params: { model: 'medium', scale: 4 } }]),
      },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LoupeError);
    expect((error as LoupeError).code).toBe('CANCELLED');
    expect(jobs).toHaveLength(1);
    await expect
      .poll(async () => (await api.job(jobs[0]!)).state, { timeout: 30_000 })
      .toBe('cancelled');
  }, 90_000);

  it('sends a picture unchanged since it was opened as its own file, a changed one as PNG', async () => {
    const { runs, jobs } = service();
    const file = await jpegOf(pattern(32, 24));
    const image = await decodeImage(file);
    const server = { ...context, mode: 'server' as const };
    const invert = steps([{ op: 'invert' }]);
    const original = await runs.run(server, {
      image,
      steps: invert,
      original: new Blob([file], { type: 'image/jpeg' }),
    });
    // The server's own record of what it decoded: the JPEG itself, not a PNG made here.
    expect((await api.job(jobs[0]!)).metadata?.input.format).toBe('jpeg');
    const reencoded = await runs.run(server, { image, steps: invert });
    expect((await api.job(jobs[1]!)).metadata?.input.format).toBe('png');
    // Same pixels either way: what the server decodes from the file is what the browser had.
    expect(Buffer.from(original.image.data).equals(Buffer.from(reencoded.image.data))).toBe(true);
  }, 60_000);

  it("teaches the throughput store this link's and codecs' speeds", async () => {
    const store = createThroughputStore();
    const { runs } = service(undefined, store);
    // 512² of noise: a PNG of ~800 KB each way, large enough to be timed.
    let seed = 1;
    const noise = pattern(512, 512);
    noise.data.forEach((_, i) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      if (i % 4 !== 3) noise.data[i] = seed >>> 24;
    });
    await runs.run(
      { ...context, mode: 'server' },
      { image: noise, steps: steps([{ op: 'invert' }]) },
    );
    const measured = store.snapshot();
    for (const kind of ['uplink', 'downlink', 'pngEncode', 'resultDecode'] as const)
      expect(measured[kind]?.samples, kind).toBe(1);
  }, 60_000);

  it('a forced server that is down fails with its error before anything is sent', async () => {
    const { runs, jobs } = service();
    const error = await runs
      .run({ ...context, mode: 'server', server: null }, { image: pattern(8, 8), steps: UPSCALE })
      .then(
        () => null,
        (e: unknown) => e as LoupeError,
      );
    expect(error?.code).toBe('SERVER_UNREACHABLE');
    expect(jobs).toHaveLength(0);
  });
});

describe('run service: in the browser', () => {
  it('runs a three-step pipeline as one worker call with every step, on the decided EP', async () => {
    const { runs, created } = service();
    const image = pattern(8, 8);
    const result = await runs.run({ ...context, mode: 'browser' }, { image, steps: INVERT_THRICE });
    expect(result.decision.ep).toBe('wasm');
    expect(created).toHaveLength(1);
    expect(created[0]!.runs).toHaveLength(1);
    expect(created[0]!.runs[0]!.steps).toEqual(INVERT_THRICE);
    expect(created[0]!.runs[0]!.ep).toBe('wasm');
    expect(result.image.data).toEqual(inverted(image).data);
    // The caller's picture is its own: the worker got a copy.
    expect(image.data.byteLength).toBe(8 * 8 * 4);
  });

  it('cancel kills the worker mid-tile at once; the next run gets a fresh worker', async () => {
    // The first worker never finishes its tile; the ones after it answer.
    let first = true;
    const { runs, created } = service(() => {
      const w = new ProtocolWorker(first ? undefined : inverted);
      first = false;
      return w;
    });
    const controller = new AbortController();
    const browser = { ...context, mode: 'browser' as const };
    const stuck = runs.run(
      browser,
      { image: pattern(8, 8), steps: INVERT_THRICE },
      {
        signal: controller.signal,
      },
    );
    await expect.poll(() => created[0]?.runs.length).toBe(1);
    controller.abort();
    await expect(stuck).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(created[0]!.terminated).toBe(true);

    const next = await runs.run(browser, {
      image: pattern(8, 8),
      steps: steps([{ op: 'invert' }]),
    });
    expect(created).toHaveLength(2);
    expect(created[1]!.terminated).toBe(false);
    expect(next.image.data).toEqual(inverted(pattern(8, 8)).data);
  });
});
