import type { Progress } from '../api/jobs';
import { LoupeError } from '../api/loupe-error';
import type { Mask } from '../image/mask';
import type { RgbaImage, Size } from '../image/rgba-image';
import type { ModelId } from '../models/model-ids';
import { pipelineInputIssues, stepOutputSize, type Step } from '../ops/pipeline';
import { clearTransparent, withoutColourUnderTransparent } from '../kernels/alpha';
import { Execution, type InputMemo } from './context';
import type { Inpainter } from './inpainter';
import type { AbortSignalLike, ModelRunner } from './model-runner';
import { OP_ENGINES, type OpEngine } from './ops';
import { ProgressTracker } from './progress';
import type { TileSizeOverride } from './tiling';

export interface ExecuteOptions {
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
  /** Classical inpainting for `erase`, from the runtime (OpenCV's WASM build); loaded on first use. */
  readonly inpainter?: Inpainter;
}

export interface ExecuteResult {
  readonly image: RgbaImage;
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
  const issues = pipelineInputIssues(steps, size);
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
 * Runs validated steps on an image through any `ModelRunner`: the same code, and so the
 * same pixels, in the browser worker and the server's child processes.
 *
 * @example const { image: out, tiles } = await executePipeline(image,
 *   [{ op: 'upscale', params: { model: 'slim', scale: 2 } }], { runner, signal, onProgress });
 */
export async function executePipeline(
  image: RgbaImage,
  steps: readonly Step[],
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  if (image.data.length !== image.width * image.height * 4) {
    throw new LoupeError(
      'IMAGE_CORRUPT',
      `RGBA buffer has ${image.data.length} bytes for ${image.width}×${image.height}`,
    );
  }
  const plans = planPipeline(steps, image, options.tileSize);
  const total = plans.reduce((sum, p) => sum + p.tiles, 0);
  const progress = new ProgressTracker(total, options.onProgress, options.now ?? Date.now);
  const execution = new Execution(options.runner, options.signal, progress, options.tileSize);
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
  return { image: current, tiles: total, models: execution.models };
}

/** One step on its own, with the pipeline's progress, cancellation and checks. */
export function executeStep(
  image: RgbaImage,
  step: Step,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  return executePipeline(image, [step], options);
}
