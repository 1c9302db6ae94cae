import type { ModelId } from '../models/model-ids';

/** A float32 tensor as the engine exchanges it with a runtime (NCHW for images). */
export interface TensorData {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/**
 * The part of `AbortSignal` the engine reads. Declared structurally because shared compiles
 * without DOM or Node types; a real `AbortSignal` from either runtime satisfies it.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/**
 * The one thing the shared engine needs from a runtime: run a model on named float32
 * inputs. The web worker implements it with onnxruntime-web, the server's child process
 * with onnxruntime-node; sessions, execution providers and residency stay behind it.
 */
export interface ModelRunner {
  run(
    model: ModelId,
    feeds: Readonly<Record<string, TensorData>>,
    signal?: AbortSignalLike,
  ): Promise<Record<string, TensorData>>;
}
