import { pipelineModels, type BrowserEp, type LocalDeviceInfo, type Step } from '@loupe/shared';

export interface EpChoice {
  readonly ep: BrowserEp;
  /** Why WebGPU was asked for and not used; becomes the result's `fallback`. */
  readonly skipped?: string;
}

/** fp16 weights need `shader-f16` on WebGPU; WASM computes them on the CPU. */
function needsShaderF16(steps: readonly Step[]): boolean {
  return pipelineModels(steps).some((id) => id.endsWith('-fp16'));
}

/**
 * The EP a run starts on: the requested one when this device can run it, else WASM and why.
 * `webgpuBroken` is the reason an earlier run lost WebGPU (device lost, OOM) in this worker.
 */
export function chooseEp(
  requested: BrowserEp,
  device: LocalDeviceInfo,
  steps: readonly Step[],
  webgpuBroken?: string,
): EpChoice {
  if (requested === 'wasm') return { ep: 'wasm' };
  if (!device.webgpu)
    return { ep: 'wasm', skipped: device.webgpuUnavailableReason ?? 'no WebGPU adapter' };
  if (webgpuBroken) return { ep: 'wasm', skipped: webgpuBroken };
  if (needsShaderF16(steps) && !device.webgpu.shaderF16) {
    return { ep: 'wasm', skipped: 'fp16 model and the adapter lacks shader-f16' };
  }
  return { ep: 'webgpu' };
}
