import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIFFUSION_PARTS, RANDOM_WEIGHTS_MARKER, type DiffusionPart } from '@loupe/shared';
import { ExternalDataFile } from '../onnx/external-data';
import { EXPORTER_CONVENTIONS } from './exporter-conventions';
import { buildPart } from './part-graphs';
import type { PipelineSpec } from './pipeline-spec';
import { SeededWeights, ZERO_WEIGHTS } from './random-weights';
import { MAX_TOKENS, tokenizerFiles } from './tokenizer-files';
import { vaeScaleFactor } from './vae';

export interface WrittenPipeline {
  dir: string;
  /** Learned values per part (what the real architecture would train). */
  parameters: Partial<Record<DiffusionPart, number>>;
}

export interface WriteOptions {
  /** `zeros` writes the same graphs without drawing random numbers (shape tests). */
  weights?: 'random' | 'zeros';
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes a diffusers ONNX folder for `spec` into `dir`: model_index.json,
 * scheduler/scheduler_config.json, tokenizer/, and each part's model.onnx (plus its external
 * data and, for optimum, its config.json), a README that says the weights are random, and the
 * license where the spec puts it. Same spec, same bytes.
 */
export function writePipelineFolder(
  dir: string,
  spec: PipelineSpec,
  options: WriteOptions = {},
): WrittenPipeline {
  const convention = EXPORTER_CONVENTIONS[spec.exporter];
  const parameters: WrittenPipeline['parameters'] = {};
  const put = (path: string, content: string | Uint8Array) => {
    const full = join(dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  };

  DIFFUSION_PARTS.forEach((part, index) => {
    if (part === 'vae_encoder' && spec.vaeEncoder === null) return;
    mkdirSync(join(dir, part), { recursive: true });
    // Each part its own stream, so changing one part's shape leaves the others' bytes alone.
    const weights =
      options.weights === 'zeros' ? ZERO_WEIGHTS : new SeededWeights(spec.seed * 16 + index);
    const sink = spec.externalData.includes(part)
      ? new ExternalDataFile(join(dir, part, convention.externalDataFile))
      : undefined;
    try {
      const graph = buildPart(part, spec, weights, sink);
      put(`${part}/model.onnx`, graph.bytes);
      parameters[part] = graph.parameters;
    } finally {
      sink?.close();
    }
    if (convention.partConfigs) put(`${part}/config.json`, json(partConfig(part, spec)));
  });

  put('model_index.json', json(modelIndex(spec)));
  put('scheduler/scheduler_config.json', json(schedulerConfig(spec)));
  for (const [name, content] of Object.entries(tokenizerFiles(spec.tokenizer)))
    put(`tokenizer/${name}`, content);
  put('README.md', readme(spec));
  if (spec.license === 'license-file') put('LICENSE', MIT_LICENSE);
  return { dir, parameters };
}

/** The diffusers pipeline class a folder of this shape would come from. */
function pipelineClass(spec: PipelineSpec): string {
  const channels = spec.unet.inChannels;
  if (spec.exporter === 'diffusers-script')
    return channels === 9 ? 'OnnxStableDiffusionInpaintPipeline' : 'OnnxStableDiffusionPipeline';
  if (channels === 9) return 'StableDiffusionInpaintPipeline';
  if (channels === 8) return 'StableDiffusionInstructPix2PixPipeline';
  return spec.unet.timeCondDim ? 'LatentConsistencyModelPipeline' : 'StableDiffusionPipeline';
}

function modelIndex(spec: PipelineSpec): Record<string, unknown> {
  const onnxPart = ['diffusers', 'OnnxRuntimeModel'];
  const parts =
    spec.exporter === 'diffusers-script'
      ? {
          text_encoder: onnxPart,
          unet: onnxPart,
          vae_decoder: onnxPart,
          ...(spec.vaeEncoder ? { vae_encoder: onnxPart } : {}),
        }
      : {
          text_encoder: ['transformers', 'CLIPTextModel'],
          unet: ['diffusers', 'UNet2DConditionModel'],
          vae: ['diffusers', 'AutoencoderKL'],
        };
  return {
    _class_name: pipelineClass(spec),
    _diffusers_version: '0.30.0',
    [RANDOM_WEIGHTS_MARKER]: true,
    feature_extractor: [null, null],
    requires_safety_checker: false,
    safety_checker: [null, null],
    scheduler: ['diffusers', schedulerConfig(spec)._class_name],
    tokenizer: ['transformers', 'CLIPTokenizer'],
    ...parts,
  };
}

/** SD 1.x's PNDM, SD 2.x's v-prediction DDIM, InstructPix2Pix's Euler ancestral, LCM's own. */
function schedulerConfig(spec: PipelineSpec): Record<string, unknown> & { _class_name: string } {
  const common = {
    _diffusers_version: '0.30.0',
    beta_end: 0.012,
    beta_schedule: 'scaled_linear',
    beta_start: 0.00085,
    num_train_timesteps: 1000,
    steps_offset: 1,
    trained_betas: null,
  };
  if (spec.unet.timeCondDim)
    return {
      _class_name: 'LCMScheduler',
      ...common,
      clip_sample: false,
      original_inference_steps: 50,
      prediction_type: 'epsilon',
      set_alpha_to_one: true,
      timestep_scaling: 10,
      timestep_spacing: 'leading',
    };
  if (spec.unet.inChannels === 8)
    return {
      _class_name: 'EulerAncestralDiscreteScheduler',
      ...common,
      prediction_type: 'epsilon',
      timestep_spacing: 'leading',
    };
  if (spec.text.hiddenSize === 1024)
    return {
      _class_name: 'DDIMScheduler',
      ...common,
      clip_sample: false,
      prediction_type: 'v_prediction',
      set_alpha_to_one: false,
      timestep_spacing: 'leading',
    };
  return {
    _class_name: 'PNDMScheduler',
    ...common,
    clip_sample: false,
    prediction_type: 'epsilon',
    set_alpha_to_one: false,
    skip_prk_steps: true,
  };
}

/** optimum's copy of each part's original config (what a reader may take native size from). */
function partConfig(part: DiffusionPart, spec: PipelineSpec): Record<string, unknown> {
  const { unet, vae, text } = spec;
  switch (part) {
    case 'unet':
      return {
        _class_name: 'UNet2DConditionModel',
        _diffusers_version: '0.30.0',
        attention_head_dim: unet.heads,
        block_out_channels: unet.blockChannels,
        cross_attention_dim: unet.crossAttentionDim,
        down_block_types: unet.attention.map((a) => (a ? 'CrossAttnDownBlock2D' : 'DownBlock2D')),
        in_channels: unet.inChannels,
        layers_per_block: unet.layersPerBlock,
        norm_num_groups: unet.normGroups,
        out_channels: unet.outChannels,
        sample_size: spec.sampleSize,
        time_cond_proj_dim: unet.timeCondDim,
        up_block_types: [...unet.attention]
          .reverse()
          .map((a) => (a ? 'CrossAttnUpBlock2D' : 'UpBlock2D')),
      };
    case 'vae_encoder':
    case 'vae_decoder':
      return {
        _class_name: 'AutoencoderKL',
        _diffusers_version: '0.30.0',
        block_out_channels: vae.blockChannels,
        in_channels: vae.imageChannels,
        latent_channels: vae.latentChannels,
        layers_per_block: vae.layersPerBlock,
        norm_num_groups: vae.normGroups,
        out_channels: vae.imageChannels,
        sample_size: spec.sampleSize * vaeScaleFactor(vae),
        scaling_factor: 0.18215,
      };
    case 'text_encoder':
      return {
        architectures: ['CLIPTextModel'],
        hidden_act: 'quick_gelu',
        hidden_size: text.width,
        intermediate_size: text.intermediate,
        max_position_embeddings: MAX_TOKENS,
        model_type: 'clip_text_model',
        num_attention_heads: text.heads,
        num_hidden_layers: text.layers,
        vocab_size: text.vocabSize,
      };
  }
}

function readme(spec: PipelineSpec): string {
  const frontMatter = spec.license === 'model-card' ? '---\nlicense: mit\n---\n\n' : '';
  return `${frontMatter}# Random-weight pipeline (test fixture)

Written by Loupe's tools/models (\`pnpm --filter @loupe/model-tools run diffusion-fixtures\`)
in the ${spec.exporter} ONNX layout. Its weights are seeded random numbers: it has the shapes
of a Stable Diffusion pipeline and produces noise. It is not a model; use it only for tests
and benchmarks.
`;
}

const MIT_LICENSE = `MIT License

Copyright (c) Loupe contributors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;
