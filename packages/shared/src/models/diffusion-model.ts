import { z } from 'zod';
import { PREDICTION_TYPES } from '../diffusion/scheduler-config';

// A diffusion model is a folder the user supplies (ONNX diffusers layout), not a file Loupe
// builds: what it can do is read from its graphs' signatures, never from its name.

/** The parts of an ONNX diffusers folder, each `<part>/model.onnx`; `vae_encoder` is optional. */
export const DIFFUSION_PARTS = ['text_encoder', 'unet', 'vae_encoder', 'vae_decoder'] as const;
export type DiffusionPart = (typeof DIFFUSION_PARTS)[number];

/** What a folder can be used for. */
export const DIFFUSION_CAPABILITIES = [
  'text-to-image',
  'img2img',
  'masked-img2img',
  'inpaint',
  'instruct',
  'lcm',
] as const;
export type DiffusionCapability = (typeof DIFFUSION_CAPABILITIES)[number];

/**
 * The UNet's family, told by its input channels: noisy latents alone (4), + mask and masked
 * image latents (9, inpainting), + the source image's latents (8, InstructPix2Pix).
 */
export const DIFFUSION_KINDS = {
  'stable-diffusion': {
    title: 'Stable Diffusion',
    unetChannels: 4,
    capabilities: ['text-to-image', 'img2img', 'masked-img2img'],
  },
  inpainting: { title: 'Stable Diffusion inpainting', unetChannels: 9, capabilities: ['inpaint'] },
  'instruct-pix2pix': { title: 'InstructPix2Pix', unetChannels: 8, capabilities: ['instruct'] },
} as const satisfies Record<
  string,
  { title: string; unetChannels: number; capabilities: readonly DiffusionCapability[] }
>;
export type DiffusionKind = keyof typeof DIFFUSION_KINDS;
const kindIds = Object.keys(DIFFUSION_KINDS) as [DiffusionKind, ...DiffusionKind[]];

/** Capabilities that need the VAE encoder (an image goes in): without it they are dropped. */
export const NEEDS_VAE_ENCODER: readonly DiffusionCapability[] = [
  'img2img',
  'masked-img2img',
  'inpaint',
  'instruct',
];

/** Text-encoder widths Loupe runs: CLIP ViT-L/14's (SD 1.x) and OpenCLIP ViT-H/14's (SD 2.x). */
export const TEXT_HIDDEN_SIZES = [768, 1024] as const;

/** Tensor element types as ONNX names them, for the ones a diffusers export uses. */
export const TENSOR_DTYPES = ['float32', 'float16', 'int32', 'int64', 'bool'] as const;
export type TensorDtype = (typeof TENSOR_DTYPES)[number];
export const FLOAT_DTYPES = ['float32', 'float16'] as const;
export type FloatDtype = (typeof FLOAT_DTYPES)[number];

/**
 * The two ONNX export conventions in the wild: Hugging Face optimum's exporter, and the older
 * `convert_stable_diffusion_checkpoint_to_onnx.py` script of diffusers. They differ in dim
 * names, `input_ids` type (int64 / int32), timestep shape, the VAE encoder's output
 * (`latent_parameters` / `latent_sample`) and the external-data file name.
 */
export const ONNX_EXPORTERS = ['optimum', 'diffusers-script'] as const;
export type OnnxExporter = (typeof ONNX_EXPORTERS)[number];

/** How the UNet takes its timestep: a 0-d scalar, a [1] tensor, or one per batch item. */
export const TIMESTEP_SHAPES = ['scalar', 'single', 'batch'] as const;
export type TimestepShape = (typeof TIMESTEP_SHAPES)[number];

/**
 * The VAE encoder's output: mean and log-variance stacked on channels (8; the caller samples),
 * or a latent the graph already sampled (4).
 */
export const VAE_ENCODER_OUTPUTS = ['latent-parameters', 'latent-sample'] as const;
export type VaeEncoderOutput = (typeof VAE_ENCODER_OUTPUTS)[number];

/** Shown for a folder with no LICENSE and no license in its model card. */
export const UNKNOWN_LICENSE = 'unknown — check before use';

const DimSchema = z.union([z.number().int(), z.string()]);

/** One graph input or output as written in the file: name, element type and dims. */
export const GraphPortSchema = z.object({
  name: z.string(),
  dtype: z.string(),
  dims: z.array(DimSchema),
});
export type GraphPort = z.infer<typeof GraphPortSchema>;

/** One part's graph: file, bytes (with its external data), and its signature. */
export const DiffusionPartInfoSchema = z.object({
  /** Relative to the model folder, e.g. `unet/model.onnx`. */
  file: z.string(),
  /** External-data files the graph references, relative to the model folder. */
  externalData: z.array(z.string()),
  bytes: z.number().int().nonnegative(),
  inputs: z.array(GraphPortSchema),
  outputs: z.array(GraphPortSchema),
});
export type DiffusionPartInfo = z.infer<typeof DiffusionPartInfoSchema>;

export const DiffusionLicenseSchema = z.object({
  /** SPDX id or Hugging Face license tag when recognised (`MIT`, `creativeml-openrail-m`), else null. */
  id: z.string().nullable(),
  /** What to show: the license's name, or `UNKNOWN_LICENSE`. */
  name: z.string(),
  /** The file it was read from (`LICENSE`, `README.md`), or null when none was found. */
  file: z.string().nullable(),
});
export type DiffusionLicense = z.infer<typeof DiffusionLicenseSchema>;

export const DiffusionFileSchema = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * A usable diffusion folder as read from its files.
 *
 * @example
 *   { id: 'sd15', kind: 'stable-diffusion', capabilities: ['text-to-image', 'img2img', 'masked-img2img'],
 *     exporter: 'optimum', dtype: 'float16', unet: { inChannels: 4, timestep: { dtype: 'int64', shape: 'single' },
 *     timestepCondDim: null, textHiddenSize: 768 }, textEncoder: { inputIdsDtype: 'int64', hiddenSize: 768,
 *     maxTokens: 77 }, vaeEncoder: { output: 'latent-parameters' }, latentChannels: 4, vaeScaleFactor: 8,
 *     nativeSize: { width: 512, height: 512, source: 'unet-config' }, … }
 */
export const DiffusionModelInfoSchema = z.object({
  /** The folder's name under LOUPE_DIFFUSION_DIR. */
  id: z.string(),
  kind: z.enum(kindIds),
  capabilities: z.array(z.enum(DIFFUSION_CAPABILITIES)),
  exporter: z.enum(ONNX_EXPORTERS),
  /** The UNet's float type; the other parts' are in `parts`. */
  dtype: z.enum(FLOAT_DTYPES),
  unet: z.object({
    inChannels: z.number().int().positive(),
    timestep: z.object({ dtype: z.enum(TENSOR_DTYPES), shape: z.enum(TIMESTEP_SHAPES) }),
    /** Width of `timestep_cond` (the LCM guidance embedding), null without one. */
    timestepCondDim: z.number().int().positive().nullable(),
    /** Width of `encoder_hidden_states` the UNet attends to. */
    textHiddenSize: z.number().int().positive(),
  }),
  textEncoder: z.object({
    inputIdsDtype: z.enum(['int32', 'int64']),
    hiddenSize: z.number().int().positive(),
    /** Tokens per prompt (CLIP: 77), from the graph or the tokenizer config. */
    maxTokens: z.number().int().positive(),
  }),
  /** Null when the folder has no vae_encoder (text-to-image only). */
  vaeEncoder: z.object({ output: z.enum(VAE_ENCODER_OUTPUTS) }).nullable(),
  latentChannels: z.number().int().positive(),
  /** Image pixels per latent pixel along each side. */
  vaeScaleFactor: z.number().int().positive(),
  /** The size it was trained at: from unet/config.json, static UNet dims, or the family default. */
  nativeSize: z.object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    source: z.enum(['unet-config', 'unet-graph', 'default']),
  }),
  scheduler: z.object({
    /** `_class_name` of scheduler/scheduler_config.json, e.g. `PNDMScheduler`. */
    className: z.string(),
    predictionType: z.enum(PREDICTION_TYPES),
  }),
  tokenizer: z.object({
    /** `vocab-merges`: vocab.json + merges.txt; `tokenizer-json`: one tokenizer.json. */
    format: z.enum(['vocab-merges', 'tokenizer-json']),
    files: z.array(z.string()),
  }),
  /** `_class_name` of model_index.json, for display only (detection never reads it). */
  pipelineClass: z.string().nullable(),
  parts: z.object({
    text_encoder: DiffusionPartInfoSchema,
    unet: DiffusionPartInfoSchema,
    vae_encoder: DiffusionPartInfoSchema.nullable(),
    vae_decoder: DiffusionPartInfoSchema,
  }),
  /** Every file in the folder (dot-files aside). */
  bytes: z.number().int().nonnegative(),
  /**
   * sha256 of the folder: of the `sha256sum` lines (`<sha256>  <path>\n`) of its files in byte
   * order of their paths, i.e. `find . -mindepth 1 -name '.*' -prune -o -type f -printf '%P\n' |
   * LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum` run inside it.
   */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  files: z.array(DiffusionFileSchema),
  license: DiffusionLicenseSchema,
  /**
   * True when model_index.json carries Loupe's random-weight marker (tools/models'
   * diffusion-fixtures): such a folder is for tests and benchmarks and is never shown as a model.
   */
  randomWeights: z.boolean(),
});
export type DiffusionModelInfo = z.infer<typeof DiffusionModelInfoSchema>;

/** A folder that could not be used, and why, in words that say what to fix. */
export const UnusableDiffusionFolderSchema = z.object({
  id: z.string(),
  status: z.literal('unusable'),
  problem: z.string(),
});
export type UnusableDiffusionFolder = z.infer<typeof UnusableDiffusionFolderSchema>;

/** One subfolder of LOUPE_DIFFUSION_DIR: a usable model or the reason it is not one. */
export const DiffusionFolderSchema = z.discriminatedUnion('status', [
  DiffusionModelInfoSchema.extend({ status: z.literal('ready') }),
  UnusableDiffusionFolderSchema,
]);
export type DiffusionFolder = z.infer<typeof DiffusionFolderSchema>;

/** The marker key tools/models writes into a random-weight pipeline's model_index.json. */
export const RANDOM_WEIGHTS_MARKER = '_loupe_random_weights';
