import type { PipelineSpec } from './pipeline-spec';
import type { TextEncoderConfig } from './text-encoder';
import { tinyVocabulary } from './tokenizer-files';
import type { UnetConfig } from './unet';
import type { VaeConfig } from './vae';

/** SD's UNet topology at 8 and 16 channels: two levels, attention on the first, one ResNet each. */
const TINY_UNET: UnetConfig = {
  inChannels: 4,
  outChannels: 4,
  blockChannels: [8, 16],
  attention: [true, false],
  layersPerBlock: 1,
  heads: 2,
  crossAttentionDim: 768,
  normGroups: 4,
  timeCondDim: null,
};

/** Four levels (scale factor 8, as SD's) at 8–16 channels. */
const TINY_VAE: VaeConfig = {
  imageChannels: 3,
  latentChannels: 4,
  blockChannels: [8, 8, 16, 16],
  layersPerBlock: 1,
  normGroups: 4,
};

const TINY_TEXT: TextEncoderConfig = {
  vocabSize: Object.keys(tinyVocabulary().vocab).length,
  maxPositions: 77,
  width: 32,
  layers: 1,
  heads: 2,
  intermediate: 64,
  hiddenSize: 768,
};

const base: PipelineSpec = {
  exporter: 'optimum',
  dtype: 'float32',
  unet: TINY_UNET,
  vae: TINY_VAE,
  text: TINY_TEXT,
  inputIds: 'int64',
  timestep: { dtype: 'float', shape: 'scalar' },
  vaeEncoder: 'latent-parameters',
  tokenizer: 'vocab-merges',
  externalData: [],
  license: 'model-card',
  sampleSize: 8,
  seed: 1,
};

const text1024 = (spec: PipelineSpec): PipelineSpec => ({
  ...spec,
  text: { ...spec.text, hiddenSize: 1024 },
  unet: { ...spec.unet, crossAttentionDim: 1024 },
});

/**
 * Tiny random-weight pipelines in every layout Loupe reads: both exporters' conventions, 4-,
 * 8- and 9-channel UNets, LCM's timestep_cond, float16 and float32, int32 and int64 input_ids,
 * scalar, [1] and per-batch timesteps (int64 or float), latent_parameters and latent_sample,
 * 768- and 1024-wide text, external data under both file names, both tokenizer formats, a
 * LICENSE, a model card's license, and neither. Each folder is well under a megabyte.
 */
export const TINY_PIPELINES = {
  'optimum-fp32': base,
  'optimum-fp16': text1024({
    ...base,
    dtype: 'float16',
    tokenizer: 'tokenizer-json',
    license: 'license-file',
    seed: 2,
  }),
  'optimum-external-data': {
    ...base,
    timestep: { dtype: 'int64', shape: 'single' },
    externalData: ['unet', 'text_encoder'],
    license: 'none',
    seed: 3,
  },
  'optimum-inpaint': { ...base, unet: { ...TINY_UNET, inChannels: 9 }, seed: 4 },
  'optimum-instruct': {
    ...base,
    unet: { ...TINY_UNET, inChannels: 8 },
    tokenizer: 'tokenizer-json',
    seed: 5,
  },
  'optimum-lcm': {
    ...base,
    unet: { ...TINY_UNET, timeCondDim: 256 },
    timestep: { dtype: 'int64', shape: 'single' },
    seed: 6,
  },
  'optimum-no-vae-encoder': { ...base, vaeEncoder: null, seed: 7 },
  'diffusers-script-fp32': {
    ...base,
    exporter: 'diffusers-script',
    inputIds: 'int32',
    timestep: { dtype: 'float', shape: 'batch' },
    vaeEncoder: 'latent-sample',
    externalData: ['unet'],
    license: 'license-file',
    seed: 8,
  },
  'diffusers-script-fp16': text1024({
    ...base,
    exporter: 'diffusers-script',
    dtype: 'float16',
    inputIds: 'int32',
    timestep: { dtype: 'float', shape: 'batch' },
    vaeEncoder: 'latent-sample',
    externalData: ['unet'],
    tokenizer: 'tokenizer-json',
    license: 'none',
    seed: 9,
  }),
} as const satisfies Record<string, PipelineSpec>;
export type TinyPipelineId = keyof typeof TINY_PIPELINES;
export const TINY_PIPELINE_IDS = Object.keys(TINY_PIPELINES) as TinyPipelineId[];
