import { describe, expect, it } from 'vitest';
import type { Size } from '../image/rgba-image';
import { parsePipeline, type Step } from '../ops/pipeline';
import type { GpuAdapterInfo, LocalDeviceInfo } from './local-device';
import { decidePlacement, type ServerAvailability } from './policy';
import type { LocalMeasurements } from './rates';
import type { ModelCost } from './work-estimate';

// The time-based policy over device profiles × server loads. Each grid row is one device, its
// letters the side Auto picks under each load (S server, B browser). A wrong prior, a wrong
// term in the time model or a wrong hard rule changes a letter.

// Sizes and FLOPs as `pnpm models` measured them (public/models/manifest.json).
const MODELS: ModelCost[] = [
  { id: 'esrgan-slim-x2', bytes: 894_847, flopsPerInputPixel: 445_088 },
  { id: 'anime4k-2x-m-an', bytes: 14_407, flopsPerInputPixel: 5_016 },
  { id: 'isnet-quint8', bytes: 44_319_695, flopsPerInputPixel: 304_416 },
  { id: 'filter-color-matrix', bytes: 1_257, flopsPerInputPixel: 21 },
];

const gpu = (vendor: string, architecture: string): GpuAdapterInfo => ({
  vendor,
  architecture,
  device: '',
  description: '',
  isFallbackAdapter: false,
  shaderF16: true,
  limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
});
const device = (
  webgpu: GpuAdapterInfo | null,
  deviceMemoryGb: number,
  hardwareConcurrency: number,
): LocalDeviceInfo => ({ webgpu, deviceMemoryGb, hardwareConcurrency, crossOriginIsolated: true });

const PROFILES = {
  phone: device(gpu('arm', 'valhall'), 2, 4),
  'budget laptop': device(null, 4, 4),
  'capable laptop': device(gpu('nvidia', 'ampere'), 8, 8),
  'no WebGPU desktop': device(null, 8, 8),
} as const;
type Profile = keyof typeof PROFILES;

/** A GPU server that has measured nothing yet, under four loads. */
const LOADS = {
  idle: { ready: true, queueDepth: 0, capacity: 16, ep: 'cuda', expectedWaitMs: 0 },
  queued: { ready: true, queueDepth: 6, capacity: 16, ep: 'cuda', expectedWaitMs: 30_000 },
  'at capacity': { ready: true, queueDepth: 16, capacity: 16, ep: 'cuda', expectedWaitMs: 90_000 },
  down: null,
} as const satisfies Record<string, ServerAvailability | null>;
const LOAD_NAMES = Object.keys(LOADS) as (keyof typeof LOADS)[];

const steps = (raw: unknown): Step[] => {
  const r = parsePipeline(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

/** Issue #12: Anime4K M 2× of a 600² picture ran 14 s in this laptop's WASM. */
const ANIME4K_MEASURED: LocalMeasurements = {
  compute: { wasm: { 'anime4k-2x-m-an': { perSecond: 1.806e9 / 13.9, samples: 2 } } },
};

interface Case {
  edit: string;
  steps: Step[];
  image: Size;
  originalFileBytes?: number;
  cachedModels?: string[];
  /** What each profile has measured of itself (none: priors). */
  measured?: Partial<Record<Profile, LocalMeasurements>>;
  /** Letters under idle, queued, at capacity, down. */
  grid: Record<Profile, string>;
}

// prettier-ignore
const CASES: Case[] = [
  {
    edit: 'ESRGAN slim ×2 of 1024×768 (350 GFLOP), nothing measured',
    steps: steps([{ op: 'upscale' }]),
    image: { width: 1024, height: 768 },
    cachedModels: ['esrgan-slim-x2'],
    grid: {
      phone:               'S B B B', // 50 GFLOP/s WebGPU: ~7 s here, ~3 s there
      'budget laptop':     'S B B B', // 4 WASM threads: ~22 s here; a 30 s queue is worse
      'capable laptop':    'B B B B', // hardware WebGPU: ~2 s here
      'no WebGPU desktop': 'S B B B', // 8 cores of WASM: ~9 s
    },
  },
  {
    edit: 'Anime4K M 2× of 600² (1.8 GFLOP, a "light edit" once), measured on the budget laptop',
    steps: steps([{ op: 'enhance-illustration', params: { size: 'm' } }]),
    image: { width: 600, height: 600 },
    measured: { 'budget laptop': ANIME4K_MEASURED },
    grid: {
      phone:               'B B B B',
      'budget laptop':     'S B B B', // its own 14 s against ~2 s
      'capable laptop':    'B B B B',
      'no WebGPU desktop': 'B B B B',
    },
  },
  {
    edit: 'Invert of 1 MP: the upload alone outweighs it',
    steps: steps([{ op: 'invert' }]),
    image: { width: 1000, height: 1000 },
    grid: {
      phone:               'B B B B',
      'budget laptop':     'B B B B',
      'capable laptop':    'B B B B',
      'no WebGPU desktop': 'B B B B',
    },
  },
  {
    edit: 'ISNet cutout of a 12 MP photo sent as its 4 MB JPEG, the 44 MB model not cached here',
    steps: steps([{ op: 'remove-background', params: { model: 'quint8' } }]),
    image: { width: 4000, height: 3000 },
    originalFileBytes: 4_000_000,
    grid: {
      phone:               'S B B B',
      'budget laptop':     'S S B B', // ~45 s here: even a 30 s queue is quicker
      'capable laptop':    'S B B B', // the download here costs more than the upload there
      'no WebGPU desktop': 'S B B B',
    },
  },
];

describe('Auto picks the side with the shorter predicted time', () => {
  const cells = CASES.flatMap((c) =>
    (Object.keys(PROFILES) as Profile[]).flatMap((profile) =>
      LOAD_NAMES.map((load, i) => ({
        c,
        profile,
        load,
        expected: c.grid[profile].split(' ')[i] === 'S' ? 'server' : 'browser',
      })),
    ),
  );

  it.each(cells)(
    '$c.edit · $profile · server $load → $expected',
    ({ c, profile, load, expected }) => {
      const d = decidePlacement({
        mode: 'auto',
        device: PROFILES[profile],
        steps: c.steps,
        image: c.image,
        models: MODELS,
        server: LOADS[load],
        ...(c.originalFileBytes ? { originalFileBytes: c.originalFileBytes } : {}),
        ...(c.cachedModels ? { cachedModels: c.cachedModels } : {}),
        ...(c.measured?.[profile] ? { measured: c.measured[profile] } : {}),
      });
      expect(d.where).toBe(expected);
      expect(d.error).toBeUndefined();
      // Both estimates are in the reason whenever both sides could run it.
      if (load === 'idle' || load === 'queued')
        expect(d.reason).toMatch(/Server ≈ .+ this device ≈|this device ≈ .+ Server ≈/);
      else expect(d.reasonCode).toBe('server-unavailable');
    },
  );
});

describe('the issue #12 case', () => {
  const anime4k = steps([{ op: 'enhance-illustration', params: { size: 'm' } }]);
  const picture = { width: 600, height: 600 };
  // What that laptop measured: 14 s of WASM for the edit, 2 s to PNG-encode the picture, a slow uplink.
  const measured: LocalMeasurements = {
    ...ANIME4K_MEASURED,
    pngEncode: { perSecond: 0.18e6, samples: 3 },
    uplink: { perSecond: 0.4e6, samples: 3 },
    downlink: { perSecond: 3e6, samples: 3 },
  };
  const place = (originalFileBytes?: number) =>
    decidePlacement({
      mode: 'auto',
      device: PROFILES['budget laptop'],
      steps: anime4k,
      image: picture,
      models: MODELS,
      server: LOADS.idle,
      measured,
      cachedModels: ['anime4k-2x-m-an'],
      ...(originalFileBytes ? { originalFileBytes } : {}),
    });

  it('goes to the server and says both estimates', () => {
    const d = place(200_000);
    expect(d.where).toBe('server');
    expect(d.reason).toBe(
      'Server: Server ≈ 2 s, this device ≈ 14 s (WASM: this browser has no WebGPU)',
    );
    expect(d.estimates.browser.measured).toBe(true);
  });

  it('a picture unchanged since it was opened skips the in-browser PNG encode', () => {
    const unchanged = place(200_000).estimates.server!;
    const changed = place().estimates.server!;
    expect(unchanged.parts.codec).toBeLessThan(0.1);
    expect(changed.parts.codec - unchanged.parts.codec).toBeCloseTo(2, 1);
    expect(changed.seconds).toBeGreaterThan(unchanged.seconds + 2);
  });
});
