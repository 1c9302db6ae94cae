import { describe, expect, it } from 'vitest';
import type { Size } from '../image/rgba-image';
import { parsePipeline, type Step } from '../ops/pipeline';
import { isSoftwareAdapter, type GpuAdapterInfo, type LocalDeviceInfo } from './local-device';
import {
  decidePlacement,
  memoryBudgetBytes,
  type PlacementInput,
  type ServerAvailability,
} from './policy';
import type { PlacementReasonCode } from './reasons';
import { estimateWork, type ModelCost } from './work-estimate';

// Sizes and FLOPs as `pnpm models` measured them (public/models/manifest.json).
const MODELS: ModelCost[] = [
  { id: 'esrgan-slim-x2', bytes: 894_847, flopsPerInputPixel: 445_088 },
  { id: 'esrgan-slim-x8', bytes: 2_425_581, flopsPerInputPixel: 1_209_728 },
  { id: 'isnet-fp16', bytes: 88_151_359, flopsPerInputPixel: 304_416 },
  { id: 'filter-color-matrix', bytes: 1_257, flopsPerInputPixel: 21 },
  { id: 'maxim-deblurring', bytes: 95_600_911, flopsPerInputPixel: 5_070_000 },
];

const gpu = (over: Partial<GpuAdapterInfo>): GpuAdapterInfo => ({
  vendor: 'nvidia',
  architecture: 'ampere',
  device: '',
  description: '',
  isFallbackAdapter: false,
  shaderF16: true,
  limits: { maxBufferSize: 4 * 2 ** 30, maxStorageBufferBindingSize: 2 * 2 ** 30 },
  ...over,
});
const device = (
  webgpu: GpuAdapterInfo | null,
  deviceMemoryGb: number | null,
  hardwareConcurrency: number | null,
): LocalDeviceInfo => ({
  webgpu,
  deviceMemoryGb,
  hardwareConcurrency,
  crossOriginIsolated: true,
});

const DEVICES = {
  desktop: device(gpu({}), 8, 16),
  phone: device(
    gpu({
      vendor: 'arm',
      architecture: 'valhall',
      shaderF16: false,
      limits: { maxBufferSize: 2 ** 28, maxStorageBufferBindingSize: 2 ** 27 },
    }),
    2,
    4,
  ),
  // What headless Debian Chromium reports (probed in the harness).
  swiftshader: device(
    gpu({
      vendor: 'google',
      architecture: 'swiftshader',
      isFallbackAdapter: true,
      shaderF16: false,
    }),
    16,
    2,
  ),
  llvmpipe: device(gpu({ vendor: 'mesa', architecture: 'llvmpipe' }), 8, 8),
  noWebgpu: device(null, 8, 8),
  private: device(gpu({ vendor: '', architecture: '' }), null, null),
} as const;

const steps = (raw: unknown): Step[] => {
  const r = parsePipeline(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const UPSCALE = steps([{ op: 'upscale' }]);
const UPSCALE_X8 = steps([{ op: 'upscale', params: { scale: 8 } }]);
const CUTOUT = steps([{ op: 'remove-background', params: { model: 'fp16' } }]);
const INVERT = steps([{ op: 'invert' }]);
const DEBLUR = steps([{ op: 'restore', params: { task: 'deblur' } }]);
const SMALL: Size = { width: 320, height: 200 };

/** An idle GPU server that has measured nothing yet: the priors price it. */
const UP: ServerAvailability = {
  ready: true,
  queueDepth: 0,
  capacity: 16,
  ep: 'cuda',
  expectedWaitMs: 0,
};
const LIMITS = { maxInputPixels: 50_000_000, maxOutputPixels: 100_000_000 };
const XGA: Size = { width: 1024, height: 768 };
const TWELVE_MP: Size = { width: 4000, height: 3000 };

type Row = [
  name: string,
  input: Partial<PlacementInput>,
  where: 'browser' | 'server',
  ep: 'webgpu' | 'wasm' | undefined,
  code: PlacementReasonCode,
  error?: string,
];
const base: PlacementInput = {
  mode: 'auto',
  device: DEVICES.desktop,
  steps: UPSCALE,
  image: XGA,
  models: MODELS,
  server: UP,
};

describe('decidePlacement', () => {
  // prettier-ignore
  const rows: Row[] = [
    ['auto: hardware WebGPU is quicker here than a round trip', {}, 'browser', 'webgpu', 'quicker-here'],
    ['auto: browser hides memory and cores, counts as capable', { device: DEVICES.private }, 'browser', 'webgpu', 'quicker-here'],
    ['auto: a phone sends a 350 GFLOP upscale away', { device: DEVICES.phone }, 'server', undefined, 'quicker-on-server'],
    ['auto: a phone keeps a 1 MP invert', { device: DEVICES.phone, steps: INVERT, image: { width: 1000, height: 1000 } }, 'browser', 'webgpu', 'quicker-here'],
    ['auto: SwiftShader is software: WASM here is far slower', { device: DEVICES.swiftshader }, 'server', undefined, 'quicker-on-server'],
    ['auto: llvmpipe is software even when not flagged fallback', { device: DEVICES.llvmpipe }, 'server', undefined, 'quicker-on-server'],
    ['auto: no WebGPU', { device: DEVICES.noWebgpu }, 'server', undefined, 'quicker-on-server'],
    ['auto: a light filter stays on WASM without WebGPU', { device: DEVICES.noWebgpu, steps: INVERT, image: { width: 1000, height: 1000 } }, 'browser', 'wasm', 'quicker-here'],
    ['auto: a tiny upscale on SwiftShader runs on WASM, not the software GPU', { device: DEVICES.swiftshader, image: { width: 24, height: 20 } }, 'browser', 'wasm', 'quicker-here'],
    ['auto: 8x of 12 MP needs 3 GB RGBA out', { steps: UPSCALE_X8, image: TWELVE_MP }, 'server', undefined, 'over-budget'],
    ['auto: too big here and over the server\'s limit: neither side runs it', { steps: UPSCALE_X8, image: TWELVE_MP, server: { ...UP, limits: LIMITS } }, 'browser', 'webgpu', 'too-big-for-both', 'OUTPUT_TOO_LARGE'],
    ['auto: too big here and no server: reported, not started', { steps: UPSCALE_X8, image: TWELVE_MP, server: null }, 'browser', 'webgpu', 'server-unavailable-too-big', 'OUTPUT_TOO_LARGE'],
    ['auto: … unless the user runs it anyway', { steps: UPSCALE_X8, image: TWELVE_MP, server: null, acceptOverBudget: true }, 'browser', 'webgpu', 'over-budget-accepted'],
    ['auto: over the server\'s limit but fits here: runs here', { steps: UPSCALE_X8, image: { width: 1500, height: 1200 }, server: { ...UP, limits: LIMITS } }, 'browser', 'webgpu', 'over-server-limit'],
    ['auto: server unreachable, SwiftShader: WASM here', { device: DEVICES.swiftshader, server: null }, 'browser', 'wasm', 'server-unavailable'],
    ['auto: server not ready', { device: DEVICES.noWebgpu, server: { ...UP, ready: false } }, 'browser', 'wasm', 'server-unavailable'],
    ['auto: server queue full', { device: DEVICES.swiftshader, server: { ...UP, queueDepth: 16 } }, 'browser', 'wasm', 'server-unavailable'],
    ['auto: ISNet is a fixed 1024² whatever the photo size, and a 12 MP upload is slow', { steps: CUTOUT, image: TWELVE_MP }, 'browser', 'webgpu', 'quicker-here'],
    ['auto: MAXIM on WASM (no WebGPU) goes to the server, said with its tiles and GFLOP', { device: DEVICES.noWebgpu, steps: DEBLUR, image: SMALL }, 'server', undefined, 'heavy-on-server'],
    ['auto: … on SwiftShader too: software is no GPU', { device: DEVICES.swiftshader, steps: DEBLUR, image: SMALL }, 'server', undefined, 'heavy-on-server'],
    ['auto: … on a hardware GPU the times decide: a GPU server is quicker', { steps: DEBLUR, image: SMALL }, 'server', undefined, 'quicker-on-server'],
    ['auto: … a CPU server is not, once the 96 MB model is in this browser', { steps: DEBLUR, image: SMALL, server: { ...UP, ep: 'cpu' }, cachedModels: ['maxim-deblurring'] }, 'browser', 'webgpu', 'quicker-here'],
    ['auto: … with the server down it still runs here, on WASM', { device: DEVICES.noWebgpu, steps: DEBLUR, image: SMALL, server: null }, 'browser', 'wasm', 'server-unavailable'],
    ['browser: MAXIM on WASM when the user asks for it', { mode: 'browser', device: DEVICES.noWebgpu, steps: DEBLUR, image: SMALL }, 'browser', 'wasm', 'forced-browser-wasm'],
    ['server: honoured on a capable device', { mode: 'server' }, 'server', undefined, 'forced-server'],
    ['server: unreachable is an error', { mode: 'server', server: null }, 'server', undefined, 'forced-server-unavailable', 'SERVER_UNREACHABLE'],
    ['server: a result over its limit is an error before anything is sent', { mode: 'server', steps: UPSCALE_X8, image: { width: 1500, height: 1200 }, server: { ...UP, limits: LIMITS } }, 'server', undefined, 'forced-server-over-limit', 'OUTPUT_TOO_LARGE'],
    ['server: a picture over its upload limit too', { mode: 'server', steps: INVERT, image: { width: 8000, height: 8000 }, server: { ...UP, limits: LIMITS } }, 'server', undefined, 'forced-server-over-limit', 'IMAGE_TOO_LARGE'],
    ['browser: no WebGPU → WASM', { mode: 'browser', device: DEVICES.noWebgpu }, 'browser', 'wasm', 'forced-browser-wasm'],
    ['browser: software adapter → WASM', { mode: 'browser', device: DEVICES.swiftshader }, 'browser', 'wasm', 'forced-browser-wasm'],
    ['browser: user picks WebGPU on SwiftShader', { mode: 'browser', device: DEVICES.swiftshader, browserEp: 'webgpu' }, 'browser', 'webgpu', 'forced-browser'],
    ['browser: user picks WebGPU, none present → WASM', { mode: 'browser', device: DEVICES.noWebgpu, browserEp: 'webgpu' }, 'browser', 'wasm', 'forced-browser-wasm'],
    ['browser: over budget on a phone is reported, not started', { mode: 'browser', device: DEVICES.phone, steps: UPSCALE_X8, image: { width: 2000, height: 1500 } }, 'browser', 'webgpu', 'forced-browser-too-big', 'OUTPUT_TOO_LARGE'],
    ['browser: … and runs when the user accepts the risk', { mode: 'browser', device: DEVICES.phone, steps: UPSCALE_X8, image: { width: 2000, height: 1500 }, acceptOverBudget: true }, 'browser', 'webgpu', 'over-budget-accepted'],
    ['browser: far past device memory, accepting does not start it', { mode: 'browser', device: DEVICES.phone, steps: UPSCALE_X8, image: TWELVE_MP, acceptOverBudget: true }, 'browser', 'webgpu', 'forced-browser-too-big', 'OUTPUT_TOO_LARGE'],
  ];

  it.each(rows)('%s', (_name, over, where, ep, code, error) => {
    const d = decidePlacement({ ...base, ...over });
    expect({ where: d.where, ep: d.ep, code: d.reasonCode, error: d.error }).toEqual({
      where,
      ep,
      code,
      error,
    });
    const head =
      code === 'too-big-for-both' ? 'Neither side' : where === 'server' ? 'Server' : 'Browser';
    expect(d.reason.startsWith(head)).toBe(true);
  });

  it('offers "run anyway" only while the edit needs at most half of device memory', () => {
    const phone = { ...base, mode: 'browser' as const, device: DEVICES.phone, steps: UPSCALE_X8 };
    // 2 GB phone: 512 MB budget. 2000×1500 ×8 needs ~780 MB (sane); 12 MP ×8 needs ~3 GB.
    expect(decidePlacement({ ...phone, image: { width: 2000, height: 1500 } }).overridable).toBe(
      true,
    );
    expect(decidePlacement({ ...phone, image: TWELVE_MP }).overridable).toBe(false);
    expect(decidePlacement({ ...base, mode: 'browser' }).overridable).toBeUndefined();
  });

  it('prices MAXIM by whole 256² tiles (overlap and padding included) and says so', () => {
    // 320×200: two columns of 256² tiles (the picture is mirrored out to 256 rows).
    const d = decidePlacement({ ...base, device: DEVICES.noWebgpu, steps: DEBLUR, image: SMALL });
    expect(d.work.flops).toBe(2 * 256 * 256 * 5_070_000);
    expect(d.work.steps[0]!.heavy).toEqual({ tiles: 2, tile: 256 });
    expect(d.reason).toMatch(
      /^Server: this edit is 2 tiles of 256², 665 GFLOP, too heavy for WASM on this device \(this browser has no WebGPU\); Server ≈ [^,]+, this device ≈ .+$/,
    );
    const tiny = decidePlacement({ ...base, steps: DEBLUR, image: { width: 40, height: 30 } });
    expect(tiny.reason).toMatch(/; 1 tile of 256², 332 GFLOP$/);
  });

  it('says why in words the UI shows, with both estimates', () => {
    expect(decidePlacement({ ...base, device: DEVICES.swiftshader }).reason).toMatch(
      /^Server: Server ≈ \d+ s, this device ≈ \d+ s \(WASM: google swiftshader is software\)$/,
    );
    expect(decidePlacement({ ...base, device: DEVICES.noWebgpu }).reason).toMatch(
      /^Server: Server ≈ \d+ s, this device ≈ \d+ s \(WASM: this browser has no WebGPU\)$/,
    );
    expect(decidePlacement(base).reason).toMatch(
      /^Browser \(WebGPU\): this device ≈ \d+ s, Server ≈ \d+ s \(nvidia ampere\)$/,
    );
    expect(decidePlacement({ ...base, device: DEVICES.noWebgpu, server: null }).reason).toBe(
      'Browser: the server is unreachable, so this edit runs on this device',
    );
    const big = decidePlacement({ ...base, steps: UPSCALE_X8, image: TWELVE_MP });
    expect(big.reason).toMatch(/^Server: this edit needs ~\d+ MB; this device can spare ~2048 MB$/);
    const both = decidePlacement({
      ...base,
      steps: UPSCALE_X8,
      image: TWELVE_MP,
      server: { ...UP, limits: LIMITS },
    });
    expect(both.reason).toMatch(
      /^Neither side: this edit needs ~\d+ MB where this device can spare ~2048 MB, and the result, 32000 × 24000 \(768 MP\), is over the server's 100 MP limit$/,
    );
    const forced = decidePlacement({
      ...base,
      mode: 'server',
      steps: UPSCALE_X8,
      image: { width: 1500, height: 1200 },
      server: { ...UP, limits: LIMITS },
    });
    expect(forced.reason).toBe(
      "Server: you chose Server, but the result, 12000 × 9600 (115.2 MP), is over the server's 100 MP limit — choose Auto or Browser",
    );
  });

  it('names the error of a forced server by what is wrong with it', () => {
    const at = (server: ServerAvailability | null) =>
      decidePlacement({ ...base, mode: 'server', server }).error;
    expect(at(null)).toBe('SERVER_UNREACHABLE');
    expect(at({ ...UP, ready: false })).toBe('NOT_READY');
    expect(at({ ...UP, queueDepth: 16 })).toBe('QUEUE_FULL');
    expect(at(UP)).toBeUndefined();
  });

  it('names a step whose result the server would refuse before the last', () => {
    const d = decidePlacement({
      ...base,
      mode: 'server',
      steps: steps([
        { op: 'upscale', params: { scale: 8 } },
        { op: 'resize', params: { scale: 0.1 } },
      ]),
      image: { width: 1500, height: 1200 },
      server: { ...UP, limits: LIMITS },
    });
    expect(d.reason).toContain("step 1's result, 12000 × 9600 (115.2 MP), is over");
  });
});

describe('estimateWork', () => {
  it('adds op and model FLOPs per pixel and the widest step working set', () => {
    expect(estimateWork(INVERT, { width: 1000, height: 1000 }, MODELS)).toEqual({
      flops: 1e6 * (24 + 21),
      steps: [{ key: 'filter-color-matrix', flops: 1e6 * (24 + 21) }],
      models: ['filter-color-matrix'],
      input: { width: 1000, height: 1000 },
      output: { width: 1000, height: 1000 },
      modelBytes: 1_257,
      peakStepBytes: 4 * 2e6 + 32 * 1e6,
      unknownModels: [],
    });
  });

  it('follows sizes through a chain and counts a tiled model one tile at a time', () => {
    const w = estimateWork(
      steps([{ op: 'upscale' }, { op: 'invert' }]),
      { width: 1000, height: 500 },
      MODELS,
    );
    expect(w.flops).toBe(500_000 * 445_088 + 2_000_000 * (24 + 21));
    expect(w.steps).toEqual([
      { key: 'esrgan-slim-x2', flops: 500_000 * 445_088 },
      { key: 'filter-color-matrix', flops: 2_000_000 * (24 + 21) },
    ]);
    expect(w.output).toEqual({ width: 2000, height: 1000 });
    // upscale: 0.5 MP in + 2 MP out RGBA and one 128² tile of 316 B/px; invert: 2 MP in and out at 32 B/px.
    expect(w.peakStepBytes).toBe(Math.max(4 * 2.5e6 + 316 * 128 * 128, 4 * 4e6 + 32 * 2e6));
    expect(w.modelBytes).toBe(894_847 + 1_257);
  });

  it('keys a step without a model by its op', () => {
    expect(estimateWork(steps([{ op: 'rotate' }]), XGA, MODELS).steps[0]!.key).toBe('op:rotate');
  });

  it('flags models missing from the manifest', () => {
    expect(estimateWork(steps([{ op: 'blur' }]), XGA, MODELS).unknownModels).toEqual([
      'filter-blur',
    ]);
  });
});

describe('device profile', () => {
  it('treats fallback adapters and CPU rasterisers as software', () => {
    expect(isSoftwareAdapter(DEVICES.swiftshader.webgpu!)).toBe(true);
    expect(isSoftwareAdapter(DEVICES.llvmpipe.webgpu!)).toBe(true);
    expect(isSoftwareAdapter(DEVICES.desktop.webgpu!)).toBe(false);
  });

  it('budgets a quarter of device memory, 4 GB assumed when hidden', () => {
    expect(memoryBudgetBytes(DEVICES.phone)).toBe(512 * 2 ** 20);
    expect(memoryBudgetBytes(DEVICES.private)).toBe(2 ** 30);
  });
});
