import { describe, expect, it } from 'vitest';
import { parsePipeline, type Step } from '../ops/pipeline';
import type { LocalDeviceInfo } from './local-device';
import { FAMILY_EFFICIENCY, LINK_PRIORS, browserPriorFlops } from './priors';
import { MIN_SAMPLE_SECONDS, addRun, measurableRun, toRate } from './rates';
import { estimateBrowserTime, estimateServerTime, formatSeconds } from './time-model';
import { estimateWork, type ModelCost } from './work-estimate';

const MODELS: ModelCost[] = [
  { id: 'esrgan-slim-x2', bytes: 1_000_000, flopsPerInputPixel: 400_000 },
  { id: 'anime4k-2x-m-an', bytes: 14_407, flopsPerInputPixel: 5_000 },
];
const steps = (raw: unknown): Step[] => {
  const r = parsePipeline(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const laptop: LocalDeviceInfo = {
  webgpu: null,
  deviceMemoryGb: 8,
  hardwareConcurrency: 8,
  crossOriginIsolated: true,
};
// 1 MP: 4e11 FLOP of ESRGAN, 5e9 of Anime4K.
const MP = { width: 1000, height: 1000 };
const upscale = estimateWork(steps([{ op: 'upscale' }]), MP, MODELS);
const anime4k = estimateWork(
  steps([{ op: 'enhance-illustration', params: { size: 'm' } }]),
  MP,
  MODELS,
);

describe('browser time', () => {
  it('prices compute at the prior until a run is measured, then at the measurement', () => {
    const prior = estimateBrowserTime({
      device: laptop,
      ep: 'wasm',
      work: upscale,
      models: MODELS,
    });
    expect(prior.parts.compute).toBeCloseTo(4e11 / browserPriorFlops(laptop, 'wasm'), 6);
    expect(prior.measured).toBe(false);
    const measured = estimateBrowserTime({
      device: laptop,
      ep: 'wasm',
      work: upscale,
      models: MODELS,
      measured: { compute: { wasm: { 'esrgan-slim-x2': { perSecond: 2e10, samples: 1 } } } },
    });
    expect(measured.parts.compute).toBeCloseTo(20, 6);
    expect(measured.measured).toBe(true);
  });

  it('a measurement of one model tells the speed of the others, by family', () => {
    // ESRGAN measured at 20 GFLOP/s: Anime4K is expected at 20 × its efficiency.
    const t = estimateBrowserTime({
      device: laptop,
      ep: 'wasm',
      work: anime4k,
      models: MODELS,
      measured: { compute: { wasm: { 'esrgan-slim-x2': { perSecond: 2e10, samples: 1 } } } },
    });
    expect(t.parts.compute).toBeCloseTo(5e9 / (2e10 * FAMILY_EFFICIENCY.anime4k), 6);
    // Another EP's measurement says nothing about this one.
    const other = estimateBrowserTime({
      device: laptop,
      ep: 'wasm',
      work: anime4k,
      models: MODELS,
      measured: { compute: { webgpu: { 'esrgan-slim-x2': { perSecond: 2e12, samples: 1 } } } },
    });
    expect(other.measured).toBe(false);
  });

  it('downloads a model only when it is not cached', () => {
    const cold = estimateBrowserTime({ device: laptop, ep: 'wasm', work: upscale, models: MODELS });
    const warm = estimateBrowserTime({
      device: laptop,
      ep: 'wasm',
      work: upscale,
      models: MODELS,
      cachedModels: ['esrgan-slim-x2'],
    });
    expect(cold.parts.load - warm.parts.load).toBeCloseTo(1_000_000 / LINK_PRIORS.downlink, 6);
  });
});

describe('server time', () => {
  const server = { ep: 'cuda' as const, queueDepth: 0, expectedWaitMs: 0 };

  it('adds the queue wait the server reports, or five seconds a job ahead when it says nothing', () => {
    const idle = estimateServerTime({ server, work: upscale, models: MODELS });
    const queued = estimateServerTime({
      server: { ...server, queueDepth: 3, expectedWaitMs: 12_000 },
      work: upscale,
      models: MODELS,
    });
    expect(queued.seconds - idle.seconds).toBeCloseTo(12, 6);
    const silent = estimateServerTime({
      server: { ep: 'cuda', queueDepth: 3 },
      work: upscale,
      models: MODELS,
    });
    expect(silent.parts.wait).toBe(15);
  });

  it('loads only a model that is not on the device', () => {
    const at = (residency: 'device' | 'ram' | 'unloaded') =>
      estimateServerTime({
        server: { ...server, residency: { 'esrgan-slim-x2': residency } },
        work: upscale,
        models: MODELS,
      }).parts.load;
    expect(at('device')).toBe(0);
    expect(at('ram')).toBeGreaterThan(0);
    expect(at('unloaded')).toBeGreaterThan(at('ram'));
  });

  it('sends the original file as it is: its bytes, no PNG encode', () => {
    const measured = {
      uplink: { perSecond: 1e6, samples: 1 },
      pngEncode: { perSecond: 1e6, samples: 1 },
    };
    const reencoded = estimateServerTime({ server, work: upscale, models: MODELS, measured });
    const original = estimateServerTime({
      server,
      work: upscale,
      models: MODELS,
      measured,
      originalFileBytes: 300_000,
    });
    // 1 MP: 1 s to encode, 2 MB at 1 MB/s up (as PNG) vs 0.3 s for the file.
    expect(reencoded.parts.codec - original.parts.codec).toBeCloseTo(1, 6);
    expect(reencoded.parts.transfer - original.parts.transfer).toBeCloseTo(2 - 0.3, 6);
  });

  it("prices compute at the server's own rates, falling back on its EP's prior", () => {
    const measured = estimateServerTime({
      server: { ...server, compute: { 'esrgan-slim-x2': { perSecond: 1e11, samples: 4 } } },
      work: upscale,
      models: MODELS,
    });
    expect(measured.parts.compute).toBeCloseTo(4, 6);
    const cpu = estimateServerTime({ server: { queueDepth: 0 }, work: upscale, models: MODELS });
    expect(cpu.parts.compute).toBeCloseTo(4e11 / 80e9, 6);
  });
});

describe('rates', () => {
  it('sums work and time, so a large run outweighs a small one', () => {
    const small = addRun(undefined, 1e8, 0.1); // 1 GFLOP/s
    const both = addRun(small, 1e11, 5); // 20 GFLOP/s
    expect(toRate(both).perSecond).toBeGreaterThan(15e9);
    expect(toRate(both).samples).toBe(2);
  });

  it('measures only runs long enough and large enough, of one rate key, with every model known', () => {
    expect(measurableRun(upscale, 2)).toEqual({ key: 'esrgan-slim-x2', flops: 4e11 });
    expect(measurableRun(upscale, MIN_SAMPLE_SECONDS / 2)).toBeNull();
    // 16² of ESRGAN is 0.1 GFLOP: slow only because it was the first run, on a busy machine.
    const tiny = estimateWork(steps([{ op: 'upscale' }]), { width: 16, height: 16 }, MODELS);
    expect(measurableRun(tiny, 0.5)).toBeNull();
    const two = estimateWork(steps([{ op: 'upscale' }, { op: 'invert' }]), MP, MODELS);
    expect(measurableRun(two, 5)).toBeNull(); // invert's model is not in MODELS either
    const unknown = estimateWork(steps([{ op: 'invert' }]), MP, MODELS);
    expect(measurableRun(unknown, 5)).toBeNull();
  });

  it('lets older runs fade', () => {
    let sums = addRun(undefined, 1e10, 1); // 10 GFLOP/s
    for (let i = 0; i < 10; i++) sums = addRun(sums, 1e10, 10); // 1 GFLOP/s
    expect(toRate(sums).perSecond).toBeLessThan(1.05e9);
  });
});

describe('formatSeconds', () => {
  it.each([
    [0.04, '0.1 s'],
    [0.34, '0.3 s'],
    [1.4, '1 s'],
    [13.6, '14 s'],
    [150, '3 min'],
    [7200, '2 h'],
  ])('%s s reads %s', (s, text) => expect(formatSeconds(s)).toBe(text));
});
