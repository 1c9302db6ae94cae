import { LoupeError } from '../../api/loupe-error';
import type { DiffusionModelInfo, DiffusionPart, GraphPort } from '../../models/diffusion-model';
import { isDeviceTensor, type DeviceTensorRunner, type PartTensor } from '../device-tensor';
import type { AbortSignalLike } from '../model-runner';
import {
  elementCount,
  isTypedTensorType,
  tensorFloats,
  typedTensor,
  type TypedTensor,
  type TypedTensorType,
} from '../typed-tensor';
import type { TextEmbedding, TextStates } from './text-embedding';

/** What the parts' code needs from the run: one part call, cancellable, errors typed. */
export interface PartCaller {
  readonly signal: AbortSignalLike | undefined;
  runPart(
    model: string,
    part: DiffusionPart,
    feeds: Readonly<Record<string, TypedTensor>>,
  ): Promise<Record<string, TypedTensor>>;
  /** The runner's device tensors where it has a device (WebGPU); see `TextEmbedding`. */
  readonly device?: DeviceTensorRunner | undefined;
}

const broken = (message: string) => new LoupeError('INFERENCE_FAILED', message);

function port(
  info: DiffusionModelInfo,
  part: DiffusionPart,
  name: string,
  io: 'inputs' | 'outputs',
) {
  const found = info.parts[part]?.[io].find((p) => p.name === name);
  if (!found)
    throw broken(`${info.id}: ${part} has no ${io === 'inputs' ? 'input' : 'output'} ${name}`);
  return found;
}

function portType(p: GraphPort, what: string): TypedTensorType {
  if (!isTypedTensorType(p.dtype)) throw broken(`${what} is ${p.dtype}, which Loupe cannot feed`);
  return p.dtype;
}

/** The first output of a part's graph (each part has one Loupe reads), as float32 values. */
async function runForOutput(
  caller: PartCaller,
  info: DiffusionModelInfo,
  part: DiffusionPart,
  feeds: Record<string, PartTensor>,
  expected: number,
): Promise<Float32Array> {
  const name = info.parts[part]!.outputs[0]!.name;
  const onDevice = Object.values(feeds).some(isDeviceTensor);
  const result = onDevice
    ? await caller.device!.runPartOnDevice(info.id, part, feeds, [])
    : await caller.runPart(info.id, part, feeds as Record<string, TypedTensor>);
  const out = result[name];
  if (!out) throw broken(`${info.id}/${part} returned no ${name}`);
  if (isDeviceTensor(out)) throw broken(`${info.id}/${part} left ${name} on the device`);
  const values = tensorFloats(out, `${info.id}/${part} ${name}`);
  if (values.length !== expected)
    throw broken(
      `${info.id}/${part} returned ${values.length} values for ${name}, expected ${expected}`,
    );
  if (!values.every(Number.isFinite)) throw broken(`${info.id}/${part} returned non-finite values`);
  return values;
}

/** [1, 3, H, W] image in −1 … 1 → the VAE encoder's raw output (parameters or a sample). */
export async function encodeImage(
  caller: PartCaller,
  info: DiffusionModelInfo,
  pixels: Float32Array,
  height: number,
  width: number,
): Promise<Float32Array> {
  const input = info.parts.vae_encoder?.inputs[0];
  if (!input || !info.vaeEncoder)
    throw new LoupeError('MODEL_UNAVAILABLE', `${info.id} has no vae_encoder`);
  const f = info.vaeScaleFactor;
  const channels =
    info.vaeEncoder.output === 'latent-parameters' ? 2 * info.latentChannels : info.latentChannels;
  const feeds = {
    [input.name]: typedTensor(portType(input, 'vae_encoder input'), pixels, [1, 3, height, width]),
  };
  return runForOutput(caller, info, 'vae_encoder', feeds, (channels * height * width) / (f * f));
}

/** [1, C, h, w] unscaled latents → [1, 3, H, W] RGB in about −1 … 1. */
export async function decodeLatents(
  caller: PartCaller,
  info: DiffusionModelInfo,
  latents: Float32Array,
  height: number,
  width: number,
): Promise<Float32Array> {
  const input = info.parts.vae_decoder.inputs[0]!;
  const f = info.vaeScaleFactor;
  const dims = [1, info.latentChannels, height / f, width / f];
  const feeds = { [input.name]: typedTensor(portType(input, 'vae_decoder input'), latents, dims) };
  return runForOutput(caller, info, 'vae_decoder', feeds, 3 * height * width);
}

/** One row of a UNet batch: its input channels (already scaled) and the text it attends to. */
export interface UnetRow {
  readonly sample: Float32Array;
  readonly text: TextStates;
}

/**
 * Runs the UNet on rows at one timestep: in one call when its batch dim is symbolic, else one
 * call per row. The timestep goes in the folder's form (0-d, [1] or one per row; int64 or float)
 * and `timestepCond` (LCM's guidance embedding) is repeated per row. Returns each row's output.
 */
export async function runUnet(
  caller: PartCaller,
  info: DiffusionModelInfo,
  rows: readonly UnetRow[],
  latentSize: { height: number; width: number },
  timestep: number,
  timestepCond: Float32Array | null,
  text: TextEmbedding,
): Promise<Float32Array[]> {
  const sample = port(info, 'unet', 'sample', 'inputs');
  const batched = typeof sample.dims[0] !== 'number' || sample.dims[0] === rows.length;
  const groups = batched ? [rows] : rows.map((r) => [r]);
  const outputs: Float32Array[] = [];
  const outChannels = info.latentChannels;
  const plane = latentSize.height * latentSize.width;
  for (const group of groups) {
    const feeds = unetFeeds(info, group, latentSize, timestep, timestepCond);
    feeds.encoder_hidden_states = await text.feed(group.map((r) => r.text));
    const out = await runForOutput(caller, info, 'unet', feeds, group.length * outChannels * plane);
    for (let b = 0; b < group.length; b++)
      outputs.push(out.slice(b * outChannels * plane, (b + 1) * outChannels * plane));
  }
  return outputs;
}

function unetFeeds(
  info: DiffusionModelInfo,
  rows: readonly UnetRow[],
  latentSize: { height: number; width: number },
  timestep: number,
  timestepCond: Float32Array | null,
): Record<string, PartTensor> {
  const batch = rows.length;
  const sample = port(info, 'unet', 'sample', 'inputs');
  const t = port(info, 'unet', 'timestep', 'inputs');
  const channels = info.unet.inChannels;
  const tDims = { scalar: [], single: [1], batch: [batch] }[info.unet.timestep.shape];
  // encoder_hidden_states: from the run's TextEmbedding (`runUnet`), on the CPU or the device.
  const feeds: Record<string, PartTensor> = {
    sample: typedTensor(portType(sample, 'sample'), concat(rows.map((r) => r.sample)), [
      batch,
      channels,
      latentSize.height,
      latentSize.width,
    ]),
    timestep: typedTensor(
      portType(t, 'timestep'),
      new Array<number>(elementCount(tDims)).fill(timestep),
      tDims,
    ),
  };
  if (info.unet.timestepCondDim !== null) {
    if (!timestepCond) throw broken(`${info.id}: the UNet needs timestep_cond`);
    const cond = port(info, 'unet', 'timestep_cond', 'inputs');
    feeds.timestep_cond = typedTensor(
      portType(cond, 'timestep_cond'),
      concat(rows.map(() => timestepCond)),
      [batch, info.unet.timestepCondDim],
    );
  }
  return feeds;
}

/** Arrays end to end (channel or batch concatenation of NCHW planes). */
export function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
