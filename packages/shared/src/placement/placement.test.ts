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

const UP: ServerAvailability = { ready: true, queueDepth: 1, capacity: 16 };
const XGA: Size = { width: 1024, height: 768 };

type Row = [
  name: string,
  input: Partial<PlacementInput>,
  where: 'browser' | 'server',
  ep: 'webgpu' | 'wasm' | undefined,
  code: PlacementReasonCode,
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
    ['auto: hardware WebGPU runs here', {}, 'browser', 'webgpu', 'hardware-webgpu'],
    ['auto: browser hides memory and cores, counts as capable', { device: DEVICES.private }, 'browser', 'webgpu', 'hardware-webgpu'],
    ['auto: a phone sends a 350 GFLOP upscale away', { device: DEVICES.phone }, 'server', undefined, 'heavy-for-device'],
    ['auto: a phone keeps a 0.2 GFLOP upscale', { device: DEVICES.phone, image: { width: 24, height: 20 } }, 'browser', 'webgpu', 'light-edit'],
    ['auto: SwiftShader is software', { device: DEVICES.swiftshader }, 'server', undefined, 'software-webgpu'],
    ['auto: llvmpipe is software even when not flagged fallback', { device: DEVICES.llvmpipe }, 'server', undefined, 'software-webgpu'],
    ['auto: no WebGPU', { device: DEVICES.noWebgpu }, 'server', undefined, 'no-webgpu'],
    ['auto: a light filter stays on WASM without WebGPU', { device: DEVICES.noWebgpu, steps: INVERT, image: { width: 1000, height: 1000 } }, 'browser', 'wasm', 'light-edit'],
    ['auto: a tiny upscale on SwiftShader runs on WASM, not the software GPU', { device: DEVICES.swiftshader, image: { width: 24, height: 20 } }, 'browser', 'wasm', 'light-edit'],
    ['auto: 8x of 12 MP needs 3 GB RGBA out', { steps: UPSCALE_X8, image: { width: 4000, height: 3000 } }, 'server', undefined, 'over-budget'],
    ['auto: too big and no server: try here', { steps: UPSCALE_X8, image: { width: 4000, height: 3000 }, server: null }, 'browser', 'webgpu', 'server-unavailable-over-budget'],
    ['auto: server unreachable, SwiftShader: WASM here', { device: DEVICES.swiftshader, server: null }, 'browser', 'wasm', 'server-unavailable'],
    ['auto: server not ready', { device: DEVICES.noWebgpu, server: { ...UP, ready: false } }, 'browser', 'wasm', 'server-unavailable'],
    ['auto: server queue full', { device: DEVICES.swiftshader, server: { ...UP, queueDepth: 16 } }, 'browser', 'wasm', 'server-unavailable'],
    ['auto: ISNet is a fixed 1024² whatever the photo size, fine on a desktop', { steps: CUTOUT, image: { width: 4000, height: 3000 } }, 'browser', 'webgpu', 'hardware-webgpu'],
    ['server: honoured on a capable device', { mode: 'server' }, 'server', undefined, 'forced-server'],
    ['server: unreachable is an error', { mode: 'server', server: null }, 'server', undefined, 'forced-server-unavailable'],
    ['browser: no WebGPU → WASM', { mode: 'browser', device: DEVICES.noWebgpu }, 'browser', 'wasm', 'forced-browser-wasm'],
    ['browser: software adapter → WASM', { mode: 'browser', device: DEVICES.swiftshader }, 'browser', 'wasm', 'forced-browser-wasm'],
    ['browser: user picks WebGPU on SwiftShader', { mode: 'browser', device: DEVICES.swiftshader, browserEp: 'webgpu' }, 'browser', 'webgpu', 'forced-browser'],
    ['browser: user picks WebGPU, none present → WASM', { mode: 'browser', device: DEVICES.noWebgpu, browserEp: 'webgpu' }, 'browser', 'wasm', 'forced-browser-wasm'],
    ['browser: honoured on a phone though over budget', { mode: 'browser', device: DEVICES.phone, steps: UPSCALE_X8, image: { width: 2000, height: 1500 } }, 'browser', 'webgpu', 'forced-browser-over-budget'],
  ];

  it.each(rows)('%s', (_name, over, where, ep, code) => {
    const d = decidePlacement({ ...base, ...over });
    expect({ where: d.where, ep: d.ep, code: d.reasonCode }).toEqual({ where, ep, code });
    expect(d.reason.startsWith(where === 'server' ? 'Server' : 'Browser')).toBe(true);
    expect(d.error).toBe(code === 'forced-server-unavailable' ? 'SERVER_UNREACHABLE' : undefined);
  });

  it('says why in words the UI shows', () => {
    expect(decidePlacement({ ...base, device: DEVICES.swiftshader }).reason).toBe(
      'Server: this device has no hardware WebGPU (google swiftshader is software)',
    );
    expect(decidePlacement({ ...base, device: DEVICES.noWebgpu }).reason).toBe(
      'Server: this browser has no WebGPU',
    );
    expect(decidePlacement({ ...base, device: DEVICES.noWebgpu, server: null }).reason).toBe(
      'Browser: the server is unreachable, so this edit runs on this device',
    );
    const big = decidePlacement({
      ...base,
      steps: UPSCALE_X8,
      image: { width: 4000, height: 3000 },
    });
    expect(big.reason).toMatch(/^Server: this edit needs ~\d+ MB; this device can spare ~2048 MB$/);
  });

  it('names the error of a forced server by what is wrong with it', () => {
    const at = (server: ServerAvailability | null) =>
      decidePlacement({ ...base, mode: 'server', server }).error;
    expect(at(null)).toBe('SERVER_UNREACHABLE');
    expect(at({ ...UP, ready: false })).toBe('NOT_READY');
    expect(at({ ...UP, queueDepth: 16 })).toBe('QUEUE_FULL');
    expect(at(UP)).toBeUndefined();
  });
});

describe('estimateWork', () => {
  it('adds op and model FLOPs per pixel and the widest step working set', () => {
    expect(estimateWork(INVERT, { width: 1000, height: 1000 }, MODELS)).toEqual({
      flops: 1e6 * (24 + 21),
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
    // upscale: 0.5 MP in + 2 MP out RGBA and one 128² tile of 316 B/px; invert: 2 MP in and out at 32 B/px.
    expect(w.peakStepBytes).toBe(Math.max(4 * 2.5e6 + 316 * 128 * 128, 4 * 4e6 + 32 * 2e6));
    expect(w.modelBytes).toBe(894_847 + 1_257);
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
