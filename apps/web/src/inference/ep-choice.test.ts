import { parsePipeline, type LocalDeviceInfo, type Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { chooseEp } from './ep-choice';

const steps = (raw: unknown): Step[] => {
  const r = parsePipeline(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const adapter = (shaderF16: boolean): LocalDeviceInfo['webgpu'] => ({
  vendor: 'google',
  architecture: 'swiftshader',
  device: '',
  description: '',
  isFallbackAdapter: true,
  shaderF16,
  limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
});
const withGpu = (shaderF16: boolean): LocalDeviceInfo => ({
  webgpu: adapter(shaderF16),
  deviceMemoryGb: 8,
  hardwareConcurrency: 8,
  crossOriginIsolated: true,
});
const UPSCALE = steps([{ op: 'upscale' }]);
const CUTOUT_FP16 = steps([{ op: 'remove-background', params: { model: 'fp16' } }]);

describe('chooseEp', () => {
  it('runs WebGPU when asked and present', () => {
    expect(chooseEp('webgpu', withGpu(false), UPSCALE)).toEqual({
      ep: 'webgpu',
      fallbackEp: 'wasm',
    });
  });

  it('goes to WASM with the reason when WebGPU is missing, broken, or lacks fp16', () => {
    const none: LocalDeviceInfo = {
      ...withGpu(false),
      webgpu: null,
      webgpuUnavailableReason: 'no adapter',
    };
    const skipped = (reason: string) => ({ ep: 'wasm', skipped: { from: 'webgpu', reason } });
    expect(chooseEp('webgpu', none, UPSCALE)).toEqual(skipped('no adapter'));
    expect(chooseEp('webgpu', withGpu(true), UPSCALE, 'device lost')).toEqual(
      skipped('device lost'),
    );
    expect(chooseEp('webgpu', withGpu(false), CUTOUT_FP16)).toEqual(
      skipped('fp16 model and the adapter lacks shader-f16'),
    );
    expect(chooseEp('webgpu', withGpu(true), CUTOUT_FP16)).toEqual({
      ep: 'webgpu',
      fallbackEp: 'wasm',
    });
  });

  it('honours an explicit WASM request without calling it a fallback or rerunning it', () => {
    expect(chooseEp('wasm', withGpu(true), UPSCALE)).toEqual({ ep: 'wasm' });
  });
});
