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
}

export const DEFAULT_SETTINGS: OrtSettings = {
  intraOpNumThreads: 0,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
};

export const settingsLabel = (s: OrtSettings): string =>
  `threads=${s.intraOpNumThreads || 'auto'} opt=${s.graphOptimizationLevel} mode=${s.executionMode}` +
  (s.allowSpinning === false ? ' spin=off' : '');
