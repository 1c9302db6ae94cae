import type { DiffusionPart } from '../models/diffusion-model';
import type { ModelId } from '../models/model-ids';
import type { DeviceTensorRunner } from './device-tensor';
import type { TypedTensor } from './typed-tensor';

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
  /**
   * Runs one part of a user's diffusion folder (see `DiffusionPartRunner`). Absent on a runtime
   * that cannot run generative ops; the engine then fails them with MODEL_UNAVAILABLE.
   */
  runPart?: DiffusionPartRunner['runPart'];
  /**
   * Present where the EP keeps tensors on a device (WebGPU): generative ops keep the text
   * embedding there. Absent (CPU, CUDA on the server, WASM): everything travels as TypedTensor.
   */
  readonly device?: DeviceTensorRunner | undefined;
}

/**
 * Runs the parts of diffusion folders: the folder's id (its name under LOUPE_DIFFUSION_DIR) and
 * the part name the session; feeds and outputs in the graph's own element types. Sessions open
 * lazily per folder and part, so a pipeline's memory can be reported and offloaded part by part.
 *
 * @example await runner.runPart('sd15', 'text_encoder', { input_ids: typedTensor('int64', ids, [1, 77]) })
 */
export interface DiffusionPartRunner {
  runPart(
    model: string,
    part: DiffusionPart,
    feeds: Readonly<Record<string, TypedTensor>>,
    signal?: AbortSignalLike,
  ): Promise<Record<string, TypedTensor>>;
}
