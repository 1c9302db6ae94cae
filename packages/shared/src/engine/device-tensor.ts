import type { TextEmbeddingLocation } from '../api/generation';
import type { DiffusionPart } from '../models/diffusion-model';
import type { AbortSignalLike } from './model-runner';
import type { TypedTensor, TypedTensorType } from './typed-tensor';

/**
 * A tensor a runner keeps in its device's memory (a WebGPU buffer on onnxruntime-web). The
 * engine sees only its type and dims: it feeds it back to the runner and disposes it, and never
 * reads its values.
 *
 * @example const states = (await device.runPartOnDevice('sd', 'text_encoder', feeds, ['last_hidden_state'])).last_hidden_state;
 */
export interface DeviceTensor {
  readonly location: 'device';
  readonly type: TypedTensorType;
  readonly dims: readonly number[];
}

export type PartTensor = TypedTensor | DeviceTensor;

export const isDeviceTensor = (t: object): t is DeviceTensor =>
  (t as { location?: unknown }).location === 'device';

/**
 * Optional on a `ModelRunner` whose EP keeps tensors on a device (onnxruntime-web on WebGPU),
 * so the SD-Turbo pattern holds: the prompts' hidden states stay there for every UNet call.
 */
export interface DeviceTensorRunner {
  /** How the run's metadata names where kept tensors live. */
  readonly location: Exclude<TextEmbeddingLocation, 'cpu'>;
  /** `runPart`, taking device tensors among the feeds and keeping the outputs named in `keep` there. */
  runPartOnDevice(
    model: string,
    part: DiffusionPart,
    feeds: Readonly<Record<string, PartTensor>>,
    keep: readonly string[],
    signal?: AbortSignalLike,
  ): Promise<Record<string, PartTensor>>;
  /** Tensors end to end on their first axis, on the device: a byte copy, no arithmetic. */
  concat(parts: readonly DeviceTensor[]): Promise<DeviceTensor>;
  /** Gives the tensor's memory back; a tensor disposed twice is ignored. */
  dispose(tensor: DeviceTensor): void;
}
