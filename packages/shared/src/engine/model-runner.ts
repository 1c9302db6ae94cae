import type { ModelId } from '../models/model-ids';

/** A float32 tensor as the engine exchanges it with a runtime (NCHW for images). */
export interface TensorData {
  readonly data: Float32Array;
  readonly dims: readonly number[];
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
    signal?: AbortSignal,
  ): Promise<Record<string, TensorData>>;
}
