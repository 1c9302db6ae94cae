import type { EditMetadata, ExecutionProvider } from '../../api/execution';
import type { AbortSignalLike } from '../model-runner';

/** Why an edit ran on another EP than the one asked for: the result's `metadata.fallback`. */
export type EpFallback = NonNullable<EditMetadata['fallback']>;

/**
 * Where a run starts and where it may go: each platform's EP choice produces one.
 *
 * @example { ep: 'webgpu', fallbackEp: 'wasm' }                          // browser, WebGPU usable
 * @example { ep: 'wasm', skipped: { from: 'webgpu', reason: 'no WebGPU adapter' } }
 * @example { ep: 'cuda', fallbackEp: 'cpu' }                            // server child
 */
export interface EpPlan<Ep extends ExecutionProvider> {
  /** The EP the run starts on. */
  readonly ep: Ep;
  /** Where an EP failure on `ep` is rerun; absent: every failure is final. */
  readonly fallbackEp?: Ep;
  /** The EP that was asked for and passed over before running: reported as a fallback too. */
  readonly skipped?: EpFallback & { readonly from: Ep };
}

export interface FallbackRun<Ep extends ExecutionProvider, T> {
  readonly plan: EpPlan<Ep>;
  /** Runs the whole edit on one EP (sessions, engine, everything a rerun must redo). */
  attempt(ep: Ep): Promise<T>;
  /**
   * The platform's policy: why `e`, thrown by the attempt on `plan.ep`, is the EP's own failure
   * (runtime, device lost, out of memory), or undefined when a rerun would fail the same way
   * (a bad request, a missing model, a cancel).
   */
  epFailure(e: unknown): string | undefined;
  /** Between the failure and the rerun: release the failed EP's sessions, mark its device lost. */
  onEpFailure?(reason: string): Promise<unknown> | void;
  /** Once it has fired nothing is rerun: the failure is the cancel's. */
  readonly signal: AbortSignalLike;
}

export interface FallbackOutcome<Ep extends ExecutionProvider, T> {
  readonly result: T;
  /** The EP that produced `result`. */
  readonly ep: Ep;
  readonly fallback?: EpFallback;
}

/**
 * Runs an edit on the plan's EP and, when that EP itself fails, once more on the fallback EP.
 * The fallback is returned, never swallowed: it becomes the result's `metadata.fallback`. The
 * browser worker (WebGPU → WASM) and the server's child (CUDA/WebGPU → CPU) both run edits here.
 *
 * @example await runWithFallback({ plan: { ep: 'webgpu', fallbackEp: 'wasm' }, attempt, epFailure, signal })
 *   // { result, ep: 'wasm', fallback: { from: 'webgpu', reason: 'GPU device was lost' } }
 */
export async function runWithFallback<Ep extends ExecutionProvider, T>(
  run: FallbackRun<Ep, T>,
): Promise<FallbackOutcome<Ep, T>> {
  const { plan, signal } = run;
  const skipped = plan.skipped
    ? { fallback: { from: plan.skipped.from, reason: plan.skipped.reason } }
    : {};
  try {
    return { result: await run.attempt(plan.ep), ep: plan.ep, ...skipped };
  } catch (e) {
    const to = plan.fallbackEp;
    const reason = to === undefined || signal.aborted ? undefined : run.epFailure(e);
    if (to === undefined || reason === undefined) throw e;
    await run.onEpFailure?.(reason);
    return { result: await run.attempt(to), ep: to, fallback: { from: plan.ep, reason } };
  }
}
