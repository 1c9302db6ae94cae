import {
  pipelineModels,
  type BrowserEp,
  type EpPlan,
  type LocalDeviceInfo,
  type Step,
} from '@loupe/shared';

/** fp16 weights need `shader-f16` on WebGPU; WASM computes them on the CPU. */
function needsShaderF16(steps: readonly Step[]): boolean {
  return pipelineModels(steps).some((id) => id.endsWith('-fp16'));
}

const onWasm = (reason: string): EpPlan<BrowserEp> => ({
  ep: 'wasm',
  skipped: { from: 'webgpu', reason },
});

/**
 * Where a run starts: the requested EP when this device can run it (WebGPU, with WASM to
 * rerun on), else WASM and why WebGPU was skipped, which the result reports as its fallback.
 * `webgpuBroken` is the reason an earlier run lost WebGPU (device lost, OOM) in this worker.
 */
export function chooseEp(
  requested: BrowserEp,
  device: LocalDeviceInfo,
  steps: readonly Step[],
  webgpuBroken?: string,
  /** The run's diffusion folder is fp16 (its UNet's dtype). */
  fp16Folder = false,
): EpPlan<BrowserEp> {
  if (requested === 'wasm') return { ep: 'wasm' };
  if (!device.webgpu) return onWasm(device.webgpuUnavailableReason ?? 'no WebGPU adapter');
  if (webgpuBroken) return onWasm(webgpuBroken);
  if ((fp16Folder || needsShaderF16(steps)) && !device.webgpu.shaderF16) {
    return onWasm('fp16 model and the adapter lacks shader-f16');
  }
  return { ep: 'webgpu', fallbackEp: 'wasm' };
}
