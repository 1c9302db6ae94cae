import { LoupeError } from '../../api/loupe-error';
import { CLIP_CONTEXT_LENGTH, type ClipTokenizer } from '../../diffusion/clip-tokenizer';
import type { DiffusionModelInfo } from '../../models/diffusion-model';
import {
  isDeviceTensor,
  type DeviceTensor,
  type DeviceTensorRunner,
  type PartTensor,
} from '../device-tensor';
import type { TextEmbeddingLocation } from '../../api/generation';
import {
  elementCount,
  isTypedTensorType,
  tensorFloats,
  typedTensor,
  type TypedTensor,
} from '../typed-tensor';
import { concat, type PartCaller } from './parts';

/** A prompt's [1, 77, hidden] hidden states: float32 here, or kept on the runner's device. */
export type TextStates = Float32Array | DeviceTensor;

export interface EncodedPrompt {
  readonly states: TextStates;
  readonly droppedTokens: number;
}

const broken = (message: string) => new LoupeError('INFERENCE_FAILED', message);

function portOf(info: DiffusionModelInfo, part: 'text_encoder' | 'unet', name: string | null) {
  const io = name === null ? info.parts[part]?.outputs : info.parts[part]?.inputs;
  const port = name === null ? io?.[0] : io?.find((p) => p.name === name);
  if (!port) throw broken(`${info.id}: ${part} has no ${name ?? 'output'}`);
  return port;
}

/**
 * One run's text embedding: the prompts' hidden states and the UNet batches made of them. On a
 * runner with a device (WebGPU) they stay there from the text encoder to every UNet call, as the
 * SD-Turbo web demos do; the batch is built once per run by a byte copy on the device, so the
 * UNet reads the very bytes today's CPU concatenation gives it (running the text encoder once on
 * [neg, pos] ids would change its shapes, hence its shaders, and needs a symbolic batch dim).
 * `dispose` (always, in a `finally`) gives every device tensor back.
 */
export class TextEmbedding {
  readonly location: TextEmbeddingLocation;

  private readonly device: DeviceTensorRunner | undefined;

  private readonly owned: DeviceTensor[] = [];

  private readonly batches = new Map<string, Promise<DeviceTensor>>();

  private readonly ids = new WeakMap<DeviceTensor, number>();

  constructor(
    private readonly caller: PartCaller,
    private readonly info: DiffusionModelInfo,
  ) {
    // The UNet must take the encoder's own element type: the CPU path converts, the device cannot.
    const out = portOf(info, 'text_encoder', null).dtype;
    const takes = portOf(info, 'unet', 'encoder_hidden_states').dtype;
    this.device = out === takes ? caller.device : undefined;
    this.location = this.device?.location ?? 'cpu';
  }

  /** CLIP ids in the folder's integer type → the text encoder's last hidden state. */
  async encode(tokenizer: ClipTokenizer, prompt: string): Promise<EncodedPrompt> {
    const { info } = this;
    const { ids, droppedTokens } = tokenizer.encode(prompt);
    const input = info.parts.text_encoder.inputs.find((p) => p.name === 'input_ids');
    if (!input) throw broken(`${info.id}: text_encoder has no input input_ids`);
    if (!isTypedTensorType(input.dtype))
      throw broken(`input_ids is ${input.dtype}, which Loupe cannot feed`);
    const feeds = { input_ids: typedTensor(input.dtype, ids, [1, CLIP_CONTEXT_LENGTH]) };
    const name = info.parts.text_encoder.outputs.some((p) => p.name === 'last_hidden_state')
      ? 'last_hidden_state'
      : portOf(info, 'text_encoder', null).name;
    const result = this.device
      ? await this.device.runPartOnDevice(info.id, 'text_encoder', feeds, [name])
      : await this.caller.runPart(info.id, 'text_encoder', feeds);
    const out = result[name];
    if (out && isDeviceTensor(out)) this.own(out);
    const hidden = info.textEncoder.hiddenSize;
    if (!out || elementCount(out.dims) !== CLIP_CONTEXT_LENGTH * hidden)
      throw broken(`${info.id}/text_encoder did not return [1, 77, ${hidden}] hidden states`);
    const states = isDeviceTensor(out) ? out : tensorFloats(out, 'last_hidden_state');
    return { states, droppedTokens };
  }

  /** The UNet's `encoder_hidden_states` for rows attending to these states, in row order. */
  async feed(rows: readonly TextStates[]): Promise<PartTensor> {
    const dims = [rows.length, CLIP_CONTEXT_LENGTH, this.info.unet.textHiddenSize];
    if (!rows.some(isDeviceTensor)) {
      const port = portOf(this.info, 'unet', 'encoder_hidden_states');
      if (!isTypedTensorType(port.dtype))
        throw broken(`encoder_hidden_states is ${port.dtype}, which Loupe cannot feed`);
      return typedTensor(port.dtype, concat(rows as Float32Array[]), dims) as TypedTensor;
    }
    const device = this.device!;
    const tensors = rows as DeviceTensor[];
    if (tensors.length === 1) return tensors[0]!;
    const key = tensors.map((t) => this.ids.get(t)).join(',');
    let batch = this.batches.get(key);
    if (!batch) {
      batch = device.concat(tensors).then((t) => this.own(t));
      this.batches.set(key, batch);
    }
    return batch;
  }

  /** Every device tensor this run made, given back; safe to call more than once. */
  dispose(): void {
    const device = this.device;
    for (const t of this.owned.splice(0)) device?.dispose(t);
    this.batches.clear();
  }

  private own(t: DeviceTensor): DeviceTensor {
    this.ids.set(t, this.owned.length);
    this.owned.push(t);
    return t;
  }
}
