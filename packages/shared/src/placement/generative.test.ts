import { describe, expect, it } from 'vitest';
import { parsePipeline, type Step } from '../ops/pipeline';
import {
  generativeBrowserProblem,
  generativePartBytes,
  type DiffusionModelCost,
} from './generative';
import type { GpuAdapterInfo, LocalDeviceInfo } from './local-device';
import { decidePlacement, type PlacementInput, type ServerAvailability } from './policy';
import type { PlacementReasonCode } from './reasons';

const MB = 2 ** 20;
// SD 1.5 in fp16 as optimum exports it (part sizes of such an export, rounded).
const SD15_FP16: DiffusionModelCost = {
  id: 'sd15',
  parts: {
    text_encoder: { bytes: 246 * MB },
    unet: { bytes: 1640 * MB },
    vae_encoder: { bytes: 65 * MB },
    vae_decoder: { bytes: 94 * MB },
  },
};

const gpu = (over: Partial<GpuAdapterInfo> = {}): GpuAdapterInfo => ({
  vendor: 'nvidia',
  architecture: 'ampere',
  device: '',
  description: '',
  isFallbackAdapter: false,
  shaderF16: true,
  limits: { maxBufferSize: 4 * 2 ** 30, maxStorageBufferBindingSize: 2 * 2 ** 30 },
  ...over,
});
const device = (webgpu: GpuAdapterInfo | null, deviceMemoryGb: number | null): LocalDeviceInfo => ({
  webgpu,
  deviceMemoryGb,
  hardwareConcurrency: 8,
  crossOriginIsolated: true,
});
const DEVICES = {
  desktop: device(gpu(), 8),
  noWebgpu: device(null, 8),
  swiftshader: device(
    gpu({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true }),
    8,
  ),
  noF16: device(gpu({ vendor: 'intel', architecture: 'gen-9', shaderF16: false }), 8),
  smallPhone: device(gpu({ vendor: 'arm', architecture: 'valhall' }), 2),
} as const;

const steps = (raw: unknown[]): Step[] => {
  const parsed = parsePipeline(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};
const GENERATE = steps([
  { op: 'generate', params: { model: 'sd15', prompt: 'a fox', width: 512, height: 512 } },
]);
const INVERT = steps([{ op: 'invert', params: {} }]);
const SERVER: ServerAvailability = { ready: true, capacity: 4, queueDepth: 0 };

const place = (over: Partial<PlacementInput>) =>
  decidePlacement({
    mode: 'auto',
    device: DEVICES.desktop,
    steps: GENERATE,
    image: { width: 512, height: 512 },
    models: [],
    server: SERVER,
    diffusion: [SD15_FP16],
    ...over,
  });

describe('generative edits in the browser (issue #13)', () => {
  it('counts every part the op runs, the largest twice (its bytes while its session is made)', () => {
    expect(generativePartBytes(SD15_FP16, ['text_encoder', 'unet', 'vae_decoder'])).toBe(
      (246 + 1640 + 94 + 1640) * MB,
    );
  });

  type Row = [
    name: string,
    over: Partial<PlacementInput>,
    where: 'browser' | 'server',
    code: PlacementReasonCode,
    error: string | undefined,
    text: RegExp,
  ];
  const need = /generative models need a hardware GPU with fp16 in the browser/;
  const rows: Row[] = [
    [
      'no WebGPU → server',
      { device: DEVICES.noWebgpu },
      'server',
      'generative-on-server',
      undefined,
      /^Server: generative models need a hardware GPU with fp16 in the browser, and this browser has no WebGPU$/,
    ],
    [
      'software adapter → server',
      { device: DEVICES.swiftshader },
      'server',
      'generative-on-server',
      undefined,
      /^Server: .*; google swiftshader is a software adapter$/,
    ],
    [
      'no shader-f16 → server',
      { device: DEVICES.noF16 },
      'server',
      'generative-on-server',
      undefined,
      /^Server: .*; adapter intel gen-9 lacks shader-f16$/,
    ],
    [
      'parts over half of device memory → server',
      { device: DEVICES.smallPhone },
      'server',
      'generative-on-server',
      undefined,
      /^Server: sd15's parts need ~3620 MB in the browser and this device can give them ~1024 MB$/,
    ],
    [
      'forced Browser on a software adapter is refused',
      { mode: 'browser', device: DEVICES.swiftshader },
      'browser',
      'forced-browser-generative',
      'WEBGPU_UNAVAILABLE',
      /^Browser: you chose Browser, but .*software adapter — choose Auto or Server$/,
    ],
    [
      'forced Browser without memory is refused',
      { mode: 'browser', device: DEVICES.smallPhone },
      'browser',
      'forced-browser-generative',
      'OUTPUT_TOO_LARGE',
      /^Browser: you chose Browser, but sd15's parts need/,
    ],
    [
      'no WebGPU and the server down: neither',
      { device: DEVICES.noWebgpu, server: null },
      'browser',
      'generative-neither',
      'SERVER_UNREACHABLE',
      /^Neither side: .*no WebGPU, and the server is unreachable$/,
    ],
    [
      'an unknown folder stays on the server',
      { diffusion: [] },
      'server',
      'generative-on-server',
      undefined,
      /^Server: sd15 is not a diffusion model this page knows$/,
    ],
  ];
  it.each(rows)('%s', (_name, over, where, code, error, text) => {
    const d = place(over);
    expect([d.where, d.reasonCode, d.error]).toEqual([where, code, error]);
    expect(d.reason).toMatch(text);
  });

  it('a hardware adapter with shader-f16 and room for the parts may run it here', () => {
    expect(generativeBrowserProblem(DEVICES.desktop, GENERATE, [SD15_FP16])).toBeNull();
    const forced = place({ mode: 'browser' });
    expect([forced.where, forced.ep, forced.error]).toEqual(['browser', 'webgpu', undefined]);
    expect(place({}).reasonCode).not.toBe('generative-on-server');
  });

  it('forced Server is unchanged, and image edits never meet the rule', () => {
    expect(place({ mode: 'server', device: DEVICES.noWebgpu }).reasonCode).toBe('forced-server');
    for (const dev of Object.values(DEVICES)) {
      expect(generativeBrowserProblem(dev, INVERT, [])).toBeNull();
      expect(place({ device: dev, steps: INVERT }).reasonCode).not.toMatch(/generative/);
    }
  });

  it('the e2e override lets any adapter (WASM included) run it here, and nothing else changes', () => {
    const d = place({
      mode: 'browser',
      device: DEVICES.swiftshader,
      testOnlyGenerativeOnAnyAdapter: true,
    });
    expect([d.where, d.ep, d.error, d.reasonCode]).toEqual([
      'browser',
      'wasm',
      undefined,
      'forced-browser-wasm',
    ]);
    expect(generativeBrowserProblem(DEVICES.noWebgpu, GENERATE, [], true)).toBeNull();
  });

  it.each([
    ['no-webgpu', DEVICES.noWebgpu],
    ['software-adapter', DEVICES.swiftshader],
    ['no-shader-f16', DEVICES.noF16],
    ['too-big', DEVICES.smallPhone],
  ] as const)('says %s in its own words', (kind, dev) => {
    const p = generativeBrowserProblem(dev, GENERATE, [SD15_FP16]);
    expect(p?.kind).toBe(kind);
    if (kind !== 'too-big') expect(p?.why).toMatch(need);
  });
});
