// The bench's sessions and ModelRunner, all from @loupe/runtime-node, the runner the server's
// child runs: the figures measure that code with explicit settings, not a bench copy of it.
import {
  DEFAULT_SETTINGS,
  SessionCache,
  SessionRunner,
  createSession as openSession,
  runSession,
  runTypedSession,
  type OrtSession,
  type OrtSettings,
} from '@loupe/runtime-node';
import type { ModelId } from '@loupe/shared';

export {
  DEFAULT_SETTINGS,
  releaseSession,
  settingsLabel,
  type OrtSettings,
  type TypedTensor,
} from '@loupe/runtime-node';

export type Session = OrtSession;

/** A CPU session (the bench measures the CPU EP) with the given settings. */
export function createSession(
  model: string | Uint8Array,
  settings: OrtSettings = DEFAULT_SETTINGS,
): Promise<Session> {
  return openSession(model, { ep: 'cpu', settings });
}

export const runFloat = runSession;

/** Diffusion graphs take int64 ids and scalar timesteps besides float32 tensors. */
export const runTyped = runTypedSession;

/** The shared engine's runner over CPU sessions opened on demand from model files. */
export class OrtRunner extends SessionRunner {
  private readonly cache: SessionCache;

  constructor(modelPath: (id: ModelId) => string, settings: OrtSettings = DEFAULT_SETTINGS) {
    const cache = new SessionCache(modelPath, { ep: 'cpu', settings });
    super(cache);
    this.cache = cache;
  }

  release(): Promise<void> {
    return this.cache.close();
  }
}
