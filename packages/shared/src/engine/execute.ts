import type { GenerationMetadata } from '../api/generation';
import type { Progress } from '../api/jobs';
import { LoupeError } from '../api/loupe-error';
import type { Mask } from '../image/mask';
import type { RgbaImage, Size } from '../image/rgba-image';
import type { ModelId } from '../models/model-ids';
import { OPS } from '../ops/catalog';
import { pipelineInputIssues, stepOutputSize, type FieldIssue, type Step } from '../ops/pipeline';
import { clearTransparent, withoutColourUnderTransparent } from '../kernels/alpha';
import { Execution, type GenerationHost, type InputMemo } from './context';
import type { Inpainter } from './inpainter';
import type { AbortSignalLike, ModelRunner } from './model-runner';
import { OP_ENGINES, type OpEngine } from './ops';
import { ProgressTracker } from './progress';
import type { TileSizeOverride } from './tiling';

export interface ExecuteOptions extends GenerationHost {
  readonly runner: ModelRunner;
  /** Checked between tiles; a fired signal ends the run with `LoupeError('CANCELLED')`. */
  readonly signal?: AbortSignalLike;
  /** Called with 0 done before the first tile, then after every tile. */
  readonly onProgress?: (p: Progress) => void;
  /** The runtime's tile size for a model (e.g. from WebGPU limits); the spec's when undefined. */
  readonly tileSize?: TileSizeOverride;
  /** Clock for ETAs in milliseconds; `Date.now` unless a test fakes time. */
  readonly now?: () => number;
  /**
   * What the host kept from earlier runs on this same input picture (see `InputMemo`). Read and
   * filled by the first step only: every later step reads a picture made by the one before.
   */
  readonly inputMemo?: InputMemo;
  /**
   * Where ops that take a mask (inpaint, erase) may change the picture: the size of the
   * pipeline's input. Read by the first step only, like `inputMemo`.
   */
  readonly mask?: Mask;
  /**
   * Generative ops: the folders' contents by id (runtime-node: `readDiffusionAssets`). Runs
   * that name a folder fail with MODEL_UNAVAILABLE without it.
   */
  readonly diffusionAssets?: GenerationHost['diffusionAssets'];
  /** Generative ops: a preview every this many denoising steps (default 1; 0 for none). */
  readonly previewEvery?: number;
  /**
   * Generative ops: called after every `previewEvery`-th step with the steps done and the run's
   * total (as `onProgress` counts them) and the step's predicted picture at latent size (1/8 of
   * the output's sides; see `latentPreview`).
   */
  readonly onPreview?: (step: number, total: number, image: RgbaImage) => void;
  /** Classical inpainting for `erase`, from the runtime (OpenCV's WASM build); loaded on first use. */
  readonly inpainter?: Inpainter;
}

export interface ExecuteResult {
  readonly image: RgbaImage;
  /**
   * Every picture a generative step made (`count` of them, the first being `image`); absent
   * for pipelines without one. A generative step with count > 1 must be the pipeline's last.
   */
  readonly images?: readonly RgbaImage[];
  /** What the generative step ran with: seeds, sampler, prompts, model (see `GenerationMetadata`). */
  readonly generation?: GenerationMetadata;
  /** Model calls made: the `tiles` of the edit's metadata. */
  readonly tiles: number;
  /** Models that ran, in first-use order. */
  readonly models: ModelId[];
}

export interface StepPlan {
  readonly step: Step;
  readonly input: Size;
  readonly output: Size;
  readonly tiles: number;
}

const engineFor = <S extends Step>(step: S) =>
  OP_ENGINES[step.op] as unknown as OpEngine<S['params']>;

/**
 * Sizes and tile counts of every step before anything runs: progress totals, and what a
 * UI can show ("12 tiles") before the first model loads.
 *
 * @example planPipeline([{ op: 'upscale', params: { model: 'slim', scale: 2 } }], { width: 300, height: 100 })
 *   // [{ step, input: 300×100, output: 600×200, tiles: 3 }]
 */
export function planPipeline(
  steps: readonly Step[],
  size: Size,
  tileSize?: TileSizeOverride,
): StepPlan[] {
  const issues = [...structureIssues(steps), ...pipelineInputIssues(steps, size)];
  if (issues.length)
    throw new LoupeError(
      'INVALID_PARAMS',
      `Some parameters do not fit the ${size.width}×${size.height} image: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      issues,
    );
  let input: Size = { width: size.width, height: size.height };
  return steps.map((step) => {
    const output = stepOutputSize(step, input);
    const plan = {
      step,
      input,
      output,
      tiles: engineFor(step).tiles(step.params, input, tileSize),
    };
    input = output;
    return plan;
  });
}

/**
 * Where generative steps may stand: one that makes a new picture first, and one that makes
 * several last (later steps would apply to the first picture only).
 */
function structureIssues(steps: readonly Step[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  steps.forEach((step, i) => {
    if (i > 0 && OPS[step.op].inputs.image === 'none')
      issues.push({
        path: `steps.${i}`,
        message: `${step.op} makes a new picture: it must be the first step`,
      });
    const count = (step.params as { count?: number }).count ?? 1;
    if (count > 1 && i < steps.length - 1)
      issues.push({
        path: `steps.${i}.params.count`,
        message:
          'above 1 only on the last step (the steps after it would edit one of the pictures)',
      });
  });
  return issues;
}

const NO_PICTURE: RgbaImage = { width: 0, height: 0, data: new Uint8Array(0) };

/**
 * Runs validated steps on an image through any `ModelRunner`: the same code, and so the
 * same pixels, in the browser worker and the server's child processes.
 *
 * @example const { image: out, tiles } = await executePipeline(image,
 *   [{ op: 'upscale', params: { model: 'slim', scale: 2 } }], { runner, signal, onProgress });
 */
export async function executePipeline(
  given: RgbaImage | null,
  steps: readonly Step[],
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  // Only a pipeline that starts by making a picture (generate) runs without one.
  const makesPicture = steps[0] !== undefined && OPS[steps[0].op].inputs.image === 'none';
  if (!given && !makesPicture)
    throw new LoupeError('INVALID_REQUEST', `${steps[0]?.op ?? 'This edit'} needs an image`, [
      { path: 'image', message: 'required' },
    ]);
  const image = makesPicture ? NO_PICTURE : given!;
  if (image.data.length !== image.width * image.height * 4) {
    throw new LoupeError(
      'IMAGE_CORRUPT',
      `RGBA buffer has ${image.data.length} bytes for ${image.width}×${image.height}`,
    );
  }
  const plans = planPipeline(steps, image, options.tileSize);
  const total = plans.reduce((sum, p) => sum + p.tiles, 0);
  const unit = plans.some((p) => OPS[p.step.op].progressUnit === 'step') ? 'step' : 'tile';
  const progress = new ProgressTracker(total, options.onProgress, options.now ?? Date.now, unit);
  const execution = new Execution(
    options.runner,
    options.signal,
    progress,
    options.tileSize,
    options,
  );
  execution.inpainter = options.inpainter;
  execution.throwIfCancelled();
  let current = image;
  for (const [i, plan] of plans.entries()) {
    progress.beginStep(plan.step.op, plan.tiles);
    execution.inputMemo = i === 0 ? options.inputMemo : undefined;
    execution.mask = i === 0 ? options.mask : undefined;
    if (i === 0) progress.report();
    const before = progress.tilesDone;
    current = await engineFor(plan.step).run(current, plan.step.params, execution);
    // Both are engine bugs, but they would show as a wrong image or a stuck progress bar.
    if (progress.tilesDone - before !== plan.tiles) {
      throw new LoupeError(
        'INTERNAL',
        `${plan.step.op} ran ${progress.tilesDone - before} tiles, planned ${plan.tiles}`,
      );
    }
    if (current.width !== plan.output.width || current.height !== plan.output.height) {
      throw new LoupeError(
        'INTERNAL',
        `${plan.step.op} returned ${current.width}×${current.height}`,
      );
    }
  }
  // One rule for every op and both runtimes: nothing is kept under alpha 0. Pixels a step made
  // are the pipeline's own and are cleared where they lie (no second copy of a 100 MP result);
  // a step that returned the caller's buffer gets a cleared copy instead.
  if (current.data.buffer !== image.data.buffer) clearTransparent(current);
  else current = withoutColourUnderTransparent(current);
  const generated = execution.generated.at(-1);
  if (!generated) return { image: current, tiles: total, models: execution.models };
  // The last step generated (count > 1 is refused elsewhere): its other pictures are the engine's own.
  const last = plans.length - 1;
  const madeLast = OPS[plans[last]!.step.op].progressUnit === 'step';
  const images = madeLast ? [current, ...generated.images.slice(1)] : [current];
  for (const extra of images.slice(1)) clearTransparent(extra);
  return {
    image: current,
    images,
    tiles: total,
    models: execution.models,
    generation: generated.metadata,
  };
}

/** One step on its own, with the pipeline's progress, cancellation and checks. */
export function executeStep(
  image: RgbaImage | null,
  step: Step,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  return executePipeline(image, [step], options);
}
