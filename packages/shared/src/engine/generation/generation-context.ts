import type { GenerationMetadata } from '../../api/generation';
import type { RgbaImage } from '../../image/rgba-image';
import type { DiffusionAssets } from './assets';
import type { PartCaller } from './parts';

/** A generative step's images and what they ran with, kept for `ExecuteResult`. */
export interface GenerationOutput {
  /** Every image the step made; the first is also the step's returned picture. */
  readonly images: readonly RgbaImage[];
  readonly metadata: GenerationMetadata;
}

/**
 * What a generative op's engine gets beside `StepContext`'s tiles: the folder's parts (one
 * denoising step is one unit of progress, not one call), its assets and the preview channel.
 */
export interface GenerationContext extends PartCaller {
  /** The host's folder contents (`ExecuteOptions.diffusionAssets`); MODEL_UNAVAILABLE without. */
  assets(model: string): Promise<DiffusionAssets>;
  /** One denoising step done: progress advances by one and ETAs follow. */
  stepDone(): void;
  /** True when the step just done should be previewed (every `previewEvery` steps of the run). */
  previewDue(): boolean;
  /** Hands a preview of the step just done to the host (`ExecuteOptions.onPreview`). */
  preview(image: RgbaImage): void;
  /** Keeps the step's images and metadata for the run's result. */
  record(output: GenerationOutput): void;
}
