import { LoupeError } from '../../api/loupe-error';
import type { ClipTokenizerFiles } from '../../diffusion/clip-tokenizer';
import type { SchedulerConfig } from '../../diffusion/scheduler-config';
import type {
  DiffusionCapability,
  DiffusionFolder,
  DiffusionModelInfo,
} from '../../models/diffusion-model';

/** SD 1.x/2.x's VAE latent scale (diffusers' AutoencoderKL default), when a folder names none. */
export const DEFAULT_VAE_SCALING_FACTOR = 0.18215;

/**
 * What the engine needs from a diffusion folder besides its graphs, as contents (no file access
 * in shared): the host reads them once per folder (runtime-node: `readDiffusionAssets`).
 *
 * @example { info, schedulerConfig: JSON.parse(schedulerJson), tokenizer: { vocab, merges },
 *   vaeScalingFactor: 0.18215 }
 */
export interface DiffusionAssets {
  /** The folder as inspected (`inspectDiffusionFolder`): graph signatures, kind, native size. */
  readonly info: DiffusionModelInfo;
  /** scheduler/scheduler_config.json, parsed with `SchedulerConfigSchema`. */
  readonly schedulerConfig: SchedulerConfig;
  readonly tokenizer: ClipTokenizerFiles;
  /** vae_decoder (or vae_encoder) config.json's `scaling_factor`, else the default. */
  readonly vaeScalingFactor: number;
}

/** The host's answer to "which folder is `model`?": throw MODEL_UNAVAILABLE for an unknown one. */
export type DiffusionAssetsSource = (model: string) => DiffusionAssets | Promise<DiffusionAssets>;

/** The generative ops, by what they ask of a folder. */
export const GENERATIVE_OP_IDS = ['generate', 'img2img', 'instruct', 'inpaint'] as const;
export type GenerativeOpId = (typeof GENERATIVE_OP_IDS)[number];

const NEEDS: Record<GenerativeOpId, readonly DiffusionCapability[]> = {
  generate: ['text-to-image'],
  img2img: ['img2img'],
  instruct: ['instruct'],
  // Either a 9-channel inpainting UNet or masked img2img on a plain one.
  inpaint: ['inpaint', 'masked-img2img'],
};

export function isGenerativeOp(op: string): op is GenerativeOpId {
  return (GENERATIVE_OP_IDS as readonly string[]).includes(op);
}

/**
 * Throws INVALID_PARAMS naming `model` when the folder cannot run the op (an inpainting UNet
 * asked for text-to-image, a folder without a VAE encoder asked for img2img).
 */
export function checkCapability(op: GenerativeOpId, info: DiffusionModelInfo): void {
  if (NEEDS[op].some((c) => info.capabilities.includes(c))) return;
  const message = `${info.id} (${info.kind}) cannot run ${op}; it can do ${info.capabilities.join(', ') || 'nothing'}`;
  throw new LoupeError('INVALID_PARAMS', `model: ${message}`, [{ path: 'model', message }]);
}

/**
 * Why `folder` cannot run `op`, in words that say what to pick instead; undefined when it can.
 * The server's routes and the CLI's in-process runs pick and refuse folders with it.
 */
export function diffusionMisfit(op: GenerativeOpId, folder: DiffusionFolder): string | undefined {
  if (folder.status === 'unusable')
    return `diffusion model '${folder.id}' is not usable: ${folder.problem}`;
  try {
    checkCapability(op, folder);
    return undefined;
  } catch (e) {
    if (e instanceof LoupeError) return e.fields?.[0]?.message ?? e.message;
    throw e;
  }
}
