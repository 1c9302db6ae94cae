import { isLoupeError, toErrorPayload } from '@loupe/shared';

/**
 * Why a failure on WebGPU is worth a WASM rerun, or undefined when it is not: runtime and
 * device failures are; a cancel, a bad request or a missing model would fail the same way on WASM.
 */
export function webgpuFailureReason(e: unknown): string | undefined {
  const rerun =
    !isLoupeError(e) ||
    e.code === 'INFERENCE_FAILED' ||
    e.code === 'INTERNAL' ||
    e.code === 'WEBGPU_UNAVAILABLE';
  return rerun ? toErrorPayload(e, 'INFERENCE_FAILED').message : undefined;
}

/** A lost device does not come back inside one onnxruntime instance: later runs go to WASM. */
export function isDeviceLost(message: string): boolean {
  return /device (is |was )?lost|device.*destroyed|out of memory|oom/i.test(message);
}
