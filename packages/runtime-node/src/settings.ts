/**
 * The session options Loupe turns; everything else is onnxruntime-node's default. The server
 * runs `DEFAULT_SETTINGS`; the bench sweeps the rest (bench/upscale-tuning.ts).
 *
 * @example createSession(bytes, { ep: 'cpu', settings: { ...DEFAULT_SETTINGS, intraOpNumThreads: 1 } })
 */
export interface OrtSettings {
  /** 0 = onnxruntime's own choice (one thread per core). */
  readonly intraOpNumThreads: number;
  readonly graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'layout' | 'all';
  readonly executionMode: 'sequential' | 'parallel';
  /**
   * Whether idle intra-op threads spin waiting for work (onnxruntime's default). Spinning threads
   * of one session steal the core from whatever runs next on a busy 2-core machine.
   */
  readonly allowSpinning?: boolean;
  /**
   * onnxruntime's memory pattern on the CPU EP: it records the first runs' allocations and
   * plans one block for the next. Off by default: on every model Loupe ships and the SD-1.5-shaped
   * UNet (bench/session-warmup.ts, docs/benchmarks.md 1c), the pattern held 1.1–1.7× the memory
   * and left the second run as slow as the first, with no steady-state gain. Other EPs keep
   * onnxruntime's default, unmeasured here.
   */
  readonly memoryPattern?: boolean;
}

export const DEFAULT_SETTINGS: OrtSettings = {
  intraOpNumThreads: 0,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  memoryPattern: false,
};

export const settingsLabel = (s: OrtSettings): string =>
  `threads=${s.intraOpNumThreads || 'auto'} opt=${s.graphOptimizationLevel} mode=${s.executionMode}` +
  (s.allowSpinning === false ? ' spin=off' : '') +
  (s.memoryPattern === false ? ' mem-pattern=off' : '');
