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
import { decodeImage, startServer, type RealServer } from './testing/real-server';

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
  const [ready, gpu, manifest] = await Promise.all([api.ready(), api.gpuStatus(), api.manifest()]);
  context = {
    mode: 'auto',
    browserEp: null,
    device: SWIFTSHADER,
    server: { ready: ready.ready, queueDepth: gpu.queue.depth, capacity: gpu.queue.capacity },
    models: manifest.models,
  };
}, 120_000);
afterAll(() => server?.stop());

/** A run service on the real server; browser runs go to `worker()`'s protocol worker. */
function service(worker: () => ProtocolWorker = () => new ProtocolWorker(inverted)) {
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
  });
  return { runs, created, jobs };
}

describe('run service: placement for exactly what runs', () => {
  it('places each picture of a batch for its own size', () => {
    const { runs } = service();
    const placed = [16, 96, 160].map((side) => {
      const d = runs.place(context, { size: { width: side, height: side }, steps: UPSCALE });
      return [side, d.where, d.reasonCode];
    });
    // 16² is a 0.1 GFLOP edit, light enough for WASM; 96² and 160² need a GPU this device lacks.
    expect(placed).toEqual([
      [16, 'browser', 'light-edit'],
      [96, 'server', 'software-webgpu'],
      [160, 'server', 'software-webgpu'],
    ]);
  });

  it('places a re-run for all the steps it runs, not just the edited one', () => {
    const { runs } = service();
    const size = { width: 40, height: 40 };
    const twice = steps([{ op: 'upscale' }, { op: 'upscale' }]);
    expect(runs.place(context, { size, steps: UPSCALE }).where).toBe('browser');
    // The second upscale works on 80²: 3.5 GFLOP in all, no longer light.
    expect(runs.place(context, { size, steps: twice }).where).toBe('server');
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
    const large = await runs.run(context, { image: pattern(96, 96), steps: UPSCALE });
    expect([large.decision.where, large.metadata.placement]).toEqual(['server', 'server']);
    expect([large.image.width, large.image.height]).toEqual([192, 192]);
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
