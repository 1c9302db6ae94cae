import {
  DIFFUSION_KINDS,
  FLOAT_DTYPES,
  NEEDS_VAE_ENCODER,
  SchedulerConfigSchema,
  RANDOM_WEIGHTS_MARKER,
  TEXT_HIDDEN_SIZES,
  type DiffusionCapability,
  type DiffusionKind,
  type DiffusionModelInfo,
  type DiffusionPart,
  type DiffusionPartInfo,
  type FloatDtype,
  type GraphPort,
  type OnnxExporter,
  type TimestepShape,
} from '@loupe/shared';
import type { GraphSignature } from './onnx-signature';

/** One part's graph as read from the folder. */
export interface PartReading {
  /** Relative to the folder, e.g. `unet/model.onnx`. */
  readonly file: string;
  readonly signature: GraphSignature;
  /** The model file and its external data, in bytes. */
  readonly bytes: number;
}

/** A folder's files as read, before anything is decided about them. */
export interface FolderReading {
  readonly modelIndex: Record<string, unknown>;
  readonly schedulerConfig: Record<string, unknown>;
  readonly tokenizer: DiffusionModelInfo['tokenizer'] & { maxLength: number | null };
  readonly parts: Readonly<Record<Exclude<DiffusionPart, 'vae_encoder'>, PartReading>> & {
    readonly vae_encoder: PartReading | null;
  };
  /** optimum's per-part config.json, where present. */
  readonly partConfigs: Partial<Record<DiffusionPart, Record<string, unknown>>>;
}

/** What the files decide; the folder's identity, files, digest and license are the caller's. */
export type ClassifiedFolder = Omit<
  DiffusionModelInfo,
  'id' | 'bytes' | 'sha256' | 'files' | 'license'
>;

export type Classification = { ok: true; info: ClassifiedFolder } | { ok: false; problem: string };

/** A folder that does not fit, with the reason in words that say what to fix. */
class Unfit extends Error {}

const KNOWN_UNET_INPUTS = ['sample', 'timestep', 'encoder_hidden_states', 'timestep_cond'];
const PASS_THROUGH = new Set(['Cast', 'Identity']);

/**
 * Decides what a diffusers ONNX folder can do from its graphs' signatures (never its name):
 * the UNet's input channels give its kind, `timestep_cond` adds LCM, a missing VAE encoder
 * drops what needs an image in; dtypes, the timestep's form, the VAE encoder's output, the
 * text width and the native size come from the graphs and, where the graphs leave a dim
 * symbolic, from optimum's config.json files. Pure: the reading is done by the caller.
 */
export function classifyFolder(reading: FolderReading): Classification {
  try {
    return { ok: true, info: classify(reading) };
  } catch (e) {
    if (e instanceof Unfit) return { ok: false, problem: e.message };
    throw e;
  }
}

function classify(r: FolderReading): ClassifiedFolder {
  const { parts } = r;
  const text = textEncoder(parts.text_encoder);
  const unetInfo = unet(parts.unet, r.partConfigs.unet, text.hiddenSize);
  const hiddenSize = text.hiddenSize ?? unetInfo.textHiddenSize;
  if (hiddenSize === null)
    throw new Unfit(
      'Cannot tell the text width: last_hidden_state and encoder_hidden_states are both symbolic',
    );
  if (!(TEXT_HIDDEN_SIZES as readonly number[]).includes(hiddenSize))
    throw new Unfit(
      `The text encoder is ${hiddenSize} wide; Loupe runs 768 (SD 1.x) and 1024 (SD 2.x) text encoders`,
    );
  const unetText = unetInfo.textHiddenSize ?? hiddenSize;
  if (unetText !== hiddenSize)
    throw new Unfit(
      `text_encoder gives ${hiddenSize}-wide states but the UNet attends to ${unetText}-wide ones: the parts come from different models`,
    );

  checkVaeDecoder(parts.vae_decoder, unetInfo.latentChannels);
  const encoder = parts.vae_encoder
    ? vaeEncoderOutput(parts.vae_encoder, unetInfo.latentChannels)
    : null;
  const kind = unetInfo.kind;
  if (!encoder && kind !== 'stable-diffusion')
    throw new Unfit(
      `A ${DIFFUSION_KINDS[kind].unetChannels}-channel (${DIFFUSION_KINDS[kind].title}) UNet needs vae_encoder/model.onnx, which is missing`,
    );
  const capabilities: DiffusionCapability[] = DIFFUSION_KINDS[kind].capabilities.filter(
    (c) => encoder || !NEEDS_VAE_ENCODER.includes(c),
  );
  if (unetInfo.timestepCondDim !== null) capabilities.push('lcm');

  const scheduler = schedulerInfo(r.schedulerConfig);
  const vaeScale = vaeScaleFactor(r);
  return {
    kind,
    capabilities,
    exporter: exporterOf(parts),
    dtype: unetInfo.dtype,
    unet: {
      inChannels: unetInfo.inChannels,
      timestep: unetInfo.timestep,
      timestepCondDim: unetInfo.timestepCondDim,
      textHiddenSize: unetText,
    },
    textEncoder: {
      inputIdsDtype: text.inputIdsDtype,
      hiddenSize,
      maxTokens: text.maxTokens ?? r.tokenizer.maxLength ?? 77,
    },
    vaeEncoder: encoder ? { output: encoder } : null,
    latentChannels: unetInfo.latentChannels,
    vaeScaleFactor: vaeScale,
    nativeSize: nativeSize(r, vaeScale, hiddenSize, scheduler.predictionType),
    scheduler,
    tokenizer: { format: r.tokenizer.format, files: r.tokenizer.files },
    pipelineClass: typeof r.modelIndex._class_name === 'string' ? r.modelIndex._class_name : null,
    parts: {
      text_encoder: partInfo(parts.text_encoder),
      unet: partInfo(parts.unet),
      vae_encoder: parts.vae_encoder ? partInfo(parts.vae_encoder) : null,
      vae_decoder: partInfo(parts.vae_decoder),
    },
    randomWeights: r.modelIndex[RANDOM_WEIGHTS_MARKER] === true,
  };
}

function partInfo(p: PartReading): DiffusionPartInfo {
  const dir = p.file.slice(0, p.file.lastIndexOf('/') + 1);
  return {
    file: p.file,
    externalData: p.signature.externalData.map((f) => dir + f),
    bytes: p.bytes,
    inputs: [...p.signature.inputs],
    outputs: [...p.signature.outputs],
  };
}

/** The named port, else the part's only one; a missing one is a reason to refuse the folder. */
function port(part: PartReading, side: 'inputs' | 'outputs', name: string, required = true) {
  const ports = part.signature[side];
  const found = ports.find((p) => p.name === name) ?? (ports.length === 1 ? ports[0] : undefined);
  if (!found && required)
    throw new Unfit(
      `${part.file} has no ${side === 'inputs' ? 'input' : 'output'} ${name} (it has ${ports.map((p) => p.name).join(', ') || 'none'})`,
    );
  return found;
}

const numeric = (d: number | string | undefined): number | null =>
  typeof d === 'number' && d > 0 ? d : null;

function floatDtype(part: PartReading, p: GraphPort): FloatDtype {
  if ((FLOAT_DTYPES as readonly string[]).includes(p.dtype)) return p.dtype as FloatDtype;
  throw new Unfit(`${part.file}: ${p.name} is ${p.dtype}; Loupe runs float32 and float16 graphs`);
}

function rank(part: PartReading, p: GraphPort, expected: number): void {
  if (p.dims.length !== expected)
    throw new Unfit(`${part.file}: ${p.name} has ${p.dims.length} dims, not ${expected}`);
}

/** dims of the first weight a Conv (or Gather) applies to `value`, through Casts. */
function weightDimsAt(
  sig: GraphSignature,
  value: string,
  op: 'Conv' | 'Gather',
): readonly number[] | null {
  for (const node of sig.nodes) {
    const at = node.inputs.indexOf(value);
    if (at < 0) continue;
    if (PASS_THROUGH.has(node.op) && node.outputs[0]) {
      const through = weightDimsAt(sig, node.outputs[0], op);
      if (through) return through;
    }
    if (node.op === op && op === 'Conv' && at === 0)
      return sig.initializers.get(node.inputs[1] ?? '')?.dims ?? null;
    if (node.op === op && op === 'Gather' && at === 1)
      return sig.initializers.get(node.inputs[0] ?? '')?.dims ?? null;
  }
  return null;
}

function textEncoder(part: PartReading) {
  const ids = port(part, 'inputs', 'input_ids')!;
  if (ids.dtype !== 'int32' && ids.dtype !== 'int64')
    throw new Unfit(
      `${part.file}: input_ids is ${ids.dtype}; Loupe feeds int32 or int64 token ids`,
    );
  rank(part, ids, 2);
  const states = port(part, 'outputs', 'last_hidden_state')!;
  rank(part, states, 3);
  floatDtype(part, states);
  return {
    inputIdsDtype: ids.dtype,
    hiddenSize:
      numeric(states.dims[2]) ?? numeric(weightDimsAt(part.signature, ids.name, 'Gather')?.[1]),
    maxTokens: numeric(ids.dims[1]),
  } as const;
}

function unet(
  part: PartReading,
  config: Record<string, unknown> | undefined,
  textWidth: number | null,
) {
  const names = part.signature.inputs.map((i) => i.name);
  const unknown = names.filter((n) => !KNOWN_UNET_INPUTS.includes(n));
  if (unknown.length)
    throw new Unfit(
      `The UNet needs inputs Loupe does not supply: ${unknown.join(', ')}${unknown.includes('time_ids') ? ' (an SDXL UNet)' : ''}`,
    );
  for (const name of ['sample', 'timestep', 'encoder_hidden_states'])
    if (!names.includes(name)) throw new Unfit(`${part.file} has no input ${name}`);
  const sample = port(part, 'inputs', 'sample')!;
  rank(part, sample, 4);
  const dtype = floatDtype(part, sample);

  const inChannels =
    numeric(sample.dims[1]) ?? numeric(weightDimsAt(part.signature, 'sample', 'Conv')?.[1]);
  if (inChannels === null) throw new Unfit(`Cannot tell how many channels ${part.file} takes`);
  const kind = (Object.keys(DIFFUSION_KINDS) as DiffusionKind[]).find(
    (k) => DIFFUSION_KINDS[k].unetChannels === inChannels,
  );
  if (!kind)
    throw new Unfit(
      `The UNet takes ${inChannels}-channel samples; Loupe knows 4 (text-to-image, img2img), 9 (inpainting) and 8 (InstructPix2Pix)`,
    );

  const t = port(part, 'inputs', 'timestep')!;
  if (!['int64', 'float32', 'float16'].includes(t.dtype))
    throw new Unfit(`${part.file}: timestep is ${t.dtype}; Loupe feeds int64, float32 or float16`);
  if (t.dims.length > 1) throw new Unfit(`${part.file}: timestep has ${t.dims.length} dims`);
  const shape: TimestepShape =
    t.dims.length === 0 ? 'scalar' : t.dims[0] === 1 ? 'single' : 'batch';

  const context = port(part, 'inputs', 'encoder_hidden_states')!;
  rank(part, context, 3);

  const cond = part.signature.inputs.find((i) => i.name === 'timestep_cond');
  let timestepCondDim: number | null = null;
  if (cond) {
    const configured = config?.time_cond_proj_dim;
    timestepCondDim = numeric(cond.dims[1]) ?? (typeof configured === 'number' ? configured : null);
    if (timestepCondDim === null)
      throw new Unfit(`Cannot tell the width of ${part.file}'s timestep_cond`);
  }
  const out = port(part, 'outputs', 'out_sample')!;
  rank(part, out, 4);
  return {
    kind,
    dtype,
    inChannels,
    timestep: { dtype: t.dtype as 'int64' | 'float32' | 'float16', shape },
    timestepCondDim,
    textHiddenSize: numeric(context.dims[2]) ?? textWidth,
    latentChannels: numeric(out.dims[1]) ?? 4,
  };
}

function checkVaeDecoder(part: PartReading, latentChannels: number): void {
  const latent = port(part, 'inputs', 'latent_sample')!;
  rank(part, latent, 4);
  floatDtype(part, latent);
  const channels = numeric(latent.dims[1]);
  if (channels !== null && channels !== latentChannels)
    throw new Unfit(
      `The VAE decoder takes ${channels}-channel latents but the UNet makes ${latentChannels}-channel ones`,
    );
  const image = port(part, 'outputs', 'sample')!;
  rank(part, image, 4);
  const imageChannels = numeric(image.dims[1]);
  if (imageChannels !== null && imageChannels !== 3)
    throw new Unfit(`The VAE decoder makes ${imageChannels}-channel images, not RGB`);
}

/** latent_parameters (mean and log-variance, 2× the latent channels) or latent_sample. */
function vaeEncoderOutput(part: PartReading, latentChannels: number) {
  const image = port(part, 'inputs', 'sample')!;
  rank(part, image, 4);
  floatDtype(part, image);
  const outputs = part.signature.outputs;
  const named = (n: string) => outputs.find((o) => o.name === n);
  const only = outputs.length === 1 ? outputs[0]! : undefined;
  const out = named('latent_parameters') ?? named('latent_sample') ?? only;
  if (!out) throw new Unfit(`${part.file} has no latent_parameters or latent_sample output`);
  rank(part, out, 4);
  const channels = numeric(out.dims[1]);
  if (
    out.name === 'latent_parameters' ||
    (out.name !== 'latent_sample' && channels === 2 * latentChannels)
  )
    return 'latent-parameters' as const;
  if (out.name === 'latent_sample' || channels === latentChannels) return 'latent-sample' as const;
  throw new Unfit(`Cannot tell what ${part.file}'s output ${out.name} holds`);
}

/** The scheduler config as diffusers' fields are read by the samplers (`SchedulerConfigSchema`). */
function schedulerInfo(config: Record<string, unknown>) {
  const parsed = SchedulerConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Unfit(
      `scheduler/scheduler_config.json: ${issue.path.join('.') || 'the config'}: ${issue.message}`,
    );
  }
  const { _class_name: className, prediction_type: predictionType = 'epsilon' } = parsed.data;
  if (!className) throw new Unfit('scheduler/scheduler_config.json has no _class_name');
  return { className, predictionType };
}

/**
 * optimum writes batch dims as `batch_size`, the diffusers script as `batch`; the script also
 * casts input_ids to int32. Dim names first, since a re-exported graph may keep either type.
 */
function exporterOf(parts: FolderReading['parts']): OnnxExporter {
  const batch = parts.unet.signature.inputs.find((i) => i.name === 'sample')?.dims[0];
  if (batch === 'batch_size') return 'optimum';
  if (batch === 'batch') return 'diffusers-script';
  const ids = parts.text_encoder.signature.inputs.find((i) => i.name === 'input_ids');
  return ids?.dtype === 'int32' ? 'diffusers-script' : 'optimum';
}

/** From vae_decoder/config.json's levels, else the decoder's upsampling nodes, else SD's 8. */
function vaeScaleFactor(r: FolderReading): number {
  const levels = r.partConfigs.vae_decoder?.block_out_channels;
  if (Array.isArray(levels) && levels.length > 0) return 2 ** (levels.length - 1);
  const upsamples = r.parts.vae_decoder.signature.nodes.filter(
    (n) => n.op === 'Resize' || n.op === 'Upsample',
  ).length;
  return upsamples > 0 ? 2 ** upsamples : 8;
}

function nativeSize(
  r: FolderReading,
  scale: number,
  hiddenSize: number,
  prediction: string,
): DiffusionModelInfo['nativeSize'] {
  const configured = r.partConfigs.unet?.sample_size;
  const size = Array.isArray(configured) ? configured : [configured, configured];
  if (typeof size[0] === 'number' && typeof size[1] === 'number')
    return { height: size[0] * scale, width: size[1] * scale, source: 'unet-config' };
  const sample = r.parts.unet.signature.inputs.find((i) => i.name === 'sample');
  const h = numeric(sample?.dims[2]);
  const w = numeric(sample?.dims[3]);
  if (h && w) return { height: h * scale, width: w * scale, source: 'unet-graph' };
  // SD 2.x's v-prediction models were trained at 768; SD 1.x and 2.x-base at 512.
  const side = hiddenSize === 1024 && prediction === 'v_prediction' ? 768 : 512;
  return { height: side, width: side, source: 'default' };
}
