import { isLoupeError } from '@loupe/shared';

/**
 * Whether a failure on WebGPU is worth a WASM rerun: runtime and device failures are; a
 * cancel, a bad request or a missing model would fail the same way on WASM.
 */
export function isWebGpuFailure(e: unknown): boolean {
  if (!isLoupeError(e)) return true;
  return e.code === 'INFERENCE_FAILED' || e.code === 'INTERNAL' || e.code === 'WEBGPU_UNAVAILABLE';
}

/** A lost device does not come back inside one onnxruntime instance: later runs go to WASM. */
export function isDeviceLost(message: string): boolean {
  return /device (is |was )?lost|device.*destroyed|out of memory|oom/i.test(message);
}
