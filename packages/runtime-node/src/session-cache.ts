import type { ModelId } from '@loupe/shared';
import { createSession, releaseSession, type OrtSession, type SessionOptions } from './ort';
import type { SessionPool } from './session-pool';

/** A model file path (onnxruntime reads it) or its bytes. */
export type ModelSource = (model: ModelId) => string | Uint8Array | Promise<string | Uint8Array>;

/**
 * Sessions opened on first use and kept until `close()`, all with the same options: for a
 * process that runs a fixed set of models (a benchmark, a test file). No residency, no offload.
 *
 * @example const pool = new SessionCache((id) => join(modelsDir, `${id}.onnx`), { settings });
 */
export class SessionCache implements SessionPool {
  private readonly sessions = new Map<ModelId, Promise<OrtSession>>();

  constructor(
    private readonly source: ModelSource,
    private readonly options: SessionOptions = {},
  ) {}

  get executionProvider() {
    return this.options.ep ?? 'cpu';
  }

  acquire(model: ModelId): Promise<OrtSession> {
    let session = this.sessions.get(model);
    if (!session) {
      session = Promise.resolve(this.source(model)).then((m) => createSession(m, this.options));
      this.sessions.set(model, session);
    }
    return session;
  }

  release(): void {}

  async close(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of sessions) await releaseSession(await s);
  }
}
