import { toErrorPayload, type BrowserEp, type EditMetadata } from '@loupe/shared';
import type { EpChoice } from './ep-choice';
import { isWebGpuFailure } from './worker-errors';

export interface FallbackOutcome<T> {
  readonly result: T;
  /** The EP that produced `result`. */
  readonly ep: BrowserEp;
  readonly fallback?: EditMetadata['fallback'];
}

/**
 * Runs an edit on the chosen EP and, when WebGPU fails at session creation or mid-run
 * (kernel error, device lost, out of memory), once more on WASM. The fallback is returned,
 * never swallowed: it becomes the result's `metadata.fallback`.
 *
 * @example await runWithFallback({ ep: 'webgpu' }, (ep) => runOn(ep), signal, () => runners.webgpu.release())
 *   // { result, ep: 'wasm', fallback: { from: 'webgpu', reason: 'GPU device was lost' } }
 */
export async function runWithFallback<T>(
  choice: EpChoice,
  attempt: (ep: BrowserEp) => Promise<T>,
  signal: { readonly aborted: boolean },
  onWebGpuFailure: (reason: string) => Promise<unknown> = async () => undefined,
): Promise<FallbackOutcome<T>> {
  const skipped = choice.skipped
    ? { fallback: { from: 'webgpu' as const, reason: choice.skipped } }
    : {};
  try {
    return { result: await attempt(choice.ep), ep: choice.ep, ...skipped };
  } catch (e) {
    if (choice.ep !== 'webgpu' || signal.aborted || !isWebGpuFailure(e)) throw e;
    const reason = toErrorPayload(e, 'INFERENCE_FAILED').message;
    await onWebGpuFailure(reason);
    return { result: await attempt('wasm'), ep: 'wasm', fallback: { from: 'webgpu', reason } };
  }
}
