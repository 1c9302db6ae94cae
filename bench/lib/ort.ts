// The bench's only onnxruntime-node import: sessions with explicit settings, and a ModelRunner
// over them for the shared engine.
import * as ort from 'onnxruntime-node';
import type { ModelId, ModelRunner, TensorData } from '@loupe/shared';

/** The knobs the tuning sweep turns; everything else is onnxruntime-node's default. */
export interface OrtSettings {
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

export type Session = ort.InferenceSession;

export async function createSession(
  model: string | Uint8Array,
  settings: OrtSettings = DEFAULT_SETTINGS,
): Promise<Session> {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: settings.graphOptimizationLevel,
    executionMode: settings.executionMode,
    logSeverityLevel: 3,
    ...(settings.intraOpNumThreads > 0 ? { intraOpNumThreads: settings.intraOpNumThreads } : {}),
    ...(settings.allowSpinning === false
      ? { extra: { session: { intra_op: { allow_spinning: '0' } } } }
      : {}),
  };
  return typeof model === 'string'
    ? ort.InferenceSession.create(model, options)
    : ort.InferenceSession.create(model, options);
}

export async function runFloat(
  session: Session,
  feeds: Readonly<Record<string, TensorData>>,
): Promise<Record<string, TensorData>> {
  const input = Object.fromEntries(
    Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor('float32', t.data, [...t.dims])]),
  );
  const out = await session.run(input);
  return Object.fromEntries(
    Object.entries(out).map(([k, t]) => [k, { data: t.data as Float32Array, dims: t.dims }]),
  );
}

/** The shared engine's runtime seam over onnxruntime-node sessions opened on demand. */
export class OrtRunner implements ModelRunner {
  private readonly sessions = new Map<ModelId, Promise<Session>>();

  constructor(
    private readonly modelPath: (id: ModelId) => string,
    private readonly settings: OrtSettings = DEFAULT_SETTINGS,
  ) {}

  session(model: ModelId): Promise<Session> {
    let s = this.sessions.get(model);
    if (!s) {
      s = createSession(this.modelPath(model), this.settings);
      this.sessions.set(model, s);
    }
    return s;
  }

  async run(
    model: ModelId,
    feeds: Readonly<Record<string, TensorData>>,
    signal?: AbortSignal,
  ): Promise<Record<string, TensorData>> {
    signal?.throwIfAborted();
    return runFloat(await this.session(model), feeds);
  }

  async release(): Promise<void> {
    for (const s of this.sessions.values()) await (await s).release();
    this.sessions.clear();
  }
}
