import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EditMetadataSchema,
  GpuStatusSchema,
  MODELS,
  pixelCount,
  type GpuStatus,
} from '@loupe/shared';
import { png, post, startServer, waitFor, type TestServer } from './support/server';

// ESRGAN medium ×2 (1.39 MFLOP per input pixel) on 256×192: ~68 GFLOP, most of a second on any
// CPU we run on, so the run is long enough to be measured (MIN_SAMPLE_SECONDS).
const EDIT = { op: 'upscale', params: { model: 'medium', scale: 2 } } as const;
const MODEL = 'esrgan-medium-x2';

describe('GET /api/gpu/status reports measured throughput and the expected queue wait', () => {
  let server: TestServer;
  let image: Buffer;
  beforeAll(async () => {
    server = await startServer();
    image = await png(256, 192);
  });
  afterAll(() => server.close());

  const status = async (): Promise<GpuStatus> =>
    GpuStatusSchema.parse(await (await fetch(`${server.base}/api/gpu/status`)).json());
  const edit = async () => {
    const res = await post(server.base, '/api/edit', { image, ...EDIT, format: 'png' });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    return EditMetadataSchema.parse(JSON.parse(res.headers.get('x-loupe-metadata')!));
  };

  it('counts a run only once its model was already loaded, at FLOPs over compute time', async () => {
    const before = await status();
    expect(before.throughput?.compute).toEqual({});
    expect(before.queue.expectedWaitMs).toBe(0);

    // The first run loads the model: its time is mostly the load, so it is not a speed.
    await edit();
    expect((await status()).throughput?.compute[MODEL]).toBeUndefined();

    const warm = await edit();
    const flopsPerPixel = server.app.modelIntegrity.lastManifest!.models.find(
      (m) => m.id === MODEL,
    )!.flopsPerInputPixel;
    const flops = flopsPerPixel * pixelCount({ width: 256, height: 192 });
    const rate = (await status()).throughput!.compute[MODEL]!;
    expect(rate.samples).toBe(1);
    expect(rate.perSecond).toBeCloseTo(flops / (warm.timings.inferMs / 1000), -6);
    expect(MODELS[MODEL].family).toBe('esrgan');
  });

  it('expects a wait while the worker is busy, and none once it is free', async () => {
    const running = post(server.base, '/api/edit', { image, ...EDIT, format: 'png' });
    await waitFor(() => server.app.jobs.runningCount === 1, 30_000, 'the edit to start');
    const busy = await status();
    expect(busy.queue.running).toBe(1);
    expect(busy.queue.expectedWaitMs).toBeGreaterThan(0);
    await (await running).arrayBuffer();
    await waitFor(() => server.app.jobs.runningCount === 0, 30_000, 'the edit to end');
    expect((await status()).queue.expectedWaitMs).toBe(0);
  });
});
