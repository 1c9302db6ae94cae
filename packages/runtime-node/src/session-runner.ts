import {
  LoupeError,
  type DiffusionPart,
  type ModelId,
  type ModelRunner,
  type TensorData,
  type TypedTensor,
} from '@loupe/shared';
import type { DiffusionSessions } from './diffusion-sessions';
import { runSession, runTypedSession } from './ort';
import type { SessionPool } from './session-pool';

/** The execution provider itself failed (not the request): the job is rerun on CPU. */
export class EpFailure extends Error {
  override readonly name = 'EpFailure';
}

/**
 * The shared engine's ModelRunner on onnxruntime-node, the only one in the tree: the server's
 * child runs it over its `ModelResidency`, the bench and the model tests over a `SessionCache`.
 * Every run holds its model in use for exactly the duration of the call, so offload/release
 * requests that arrive between tiles skip it. With `DiffusionSessions` it also runs the parts
 * of users' diffusion folders (`runPart`), for the generative ops.
 *
 * @example await executePipeline(image, steps, { runner: new SessionRunner(new SessionCache(path)), tileSize });
 */
export class SessionRunner implements ModelRunner {
  /** Kept here because the engine wraps runner errors in its own LoupeError. */
  epFailure: EpFailure | undefined;

  constructor(
    private readonly pool: SessionPool,
    private readonly diffusion?: DiffusionSessions,
  ) {}

  async run(
    model: ModelId,
    feeds: Readonly<Record<string, TensorData>>,
    signal?: AbortSignal,
  ): Promise<Record<string, TensorData>> {
    signal?.throwIfAborted();
    const session = await this.pool.acquire(model).catch((e: unknown) => {
      throw this.classify(e, `loading ${model}`);
    });
    try {
      return await runSession(session, feeds);
    } catch (e) {
      throw this.classify(e, `running ${model}`);
    } finally {
      this.pool.release(model);
    }
  }

  async runPart(
    model: string,
    part: DiffusionPart,
    feeds: Readonly<Record<string, TypedTensor>>,
    signal?: AbortSignal,
  ): Promise<Record<string, TypedTensor>> {
    signal?.throwIfAborted();
    const sessions = this.diffusion;
    if (!sessions)
      throw new LoupeError(
        'MODEL_UNAVAILABLE',
        'This runtime was started without diffusion models',
      );
    const ep = sessions.executionProvider;
    const session = await sessions.acquire(model, part).catch((e: unknown) => {
      throw this.classify(e, `loading ${model}/${part}`, ep);
    });
    try {
      return await runTypedSession(session, feeds);
    } catch (e) {
      throw this.classify(e, `running ${model}/${part}`, ep);
    } finally {
      sessions.release(model, part);
    }
  }

  private classify(e: unknown, what: string, ep = this.pool.executionProvider): Error {
    if (e instanceof LoupeError) return e;
    const message = `${what} on ${ep}: ${e instanceof Error ? e.message : String(e)}`;
    if (ep === 'cpu') return new LoupeError('INFERENCE_FAILED', message);
    this.epFailure = new EpFailure(message);
    return this.epFailure;
  }
}
