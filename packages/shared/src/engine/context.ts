import { LoupeError, isLoupeError } from '../api/loupe-error';
import type { Mask } from '../image/mask';
import type { ModelId } from '../models/model-ids';
import type { RgbaImage } from '../image/rgba-image';
import type { DiffusionPart } from '../models/diffusion-model';
import type { ModelSpec } from '../models/model-specs';
import type { DiffusionAssets, DiffusionAssetsSource } from './generation/assets';
import type { GenerationContext, GenerationOutput } from './generation/generation-context';
import type { Inpainter, InpaintRequest } from './inpainter';
import type { DeviceTensorRunner } from './device-tensor';
import type { TypedTensor } from './typed-tensor';
import type { AbortSignalLike, ModelRunner, TensorData } from './model-runner';
import type { ProgressTracker } from './progress';
import type { TileSizeOverride } from './tiling';

/**
 * Model results that depend only on a run's input picture (ISNet's matte), kept by the host
 * between runs on that same picture, so a new background mode only recomposites. The host
 * knows which picture it is (the engine sees only pixels): it passes the memo of that picture.
 */
export interface InputMemo {
  get(model: ModelId): Readonly<Record<string, TensorData>> | undefined;
  set(model: ModelId, result: Readonly<Record<string, TensorData>>): void;
}

/** What an op's engine gets to run models with; one model call is one tile of progress. */
export interface StepContext {
  readonly tileSize: TileSizeOverride | undefined;
  /** The run's mask (see `ExecuteOptions.mask`) when this step reads the run's input; else undefined. */
  readonly mask: Mask | undefined;
  /** Generative ops' access to diffusion folders, progress in steps and previews. */
  readonly generation: GenerationContext;
  /**
   * Runs one tile (or one whole image) through a model. Throws `CANCELLED` before the call
   * when the signal has fired and after it when it fired meanwhile, so no later tile starts.
   */
  runTile(
    model: ModelId,
    feeds: Readonly<Record<string, TensorData>>,
  ): Promise<Record<string, TensorData>>;
  /**
   * `runTile` for a call whose result depends only on the step's input picture: answered from
   * the host's `InputMemo` when the step reads the pipeline's own input and the memo has it
   * (`feeds` is then never built). Counts as one tile either way, so plans stay exact.
   */
  runInputTile(
    model: ModelId,
    feeds: () => Readonly<Record<string, TensorData>>,
  ): Promise<Readonly<Record<string, TensorData>>>;
  /**
   * Fills the request's mask through the host's `Inpainter` (see `ExecuteOptions.inpainter`),
   * with the run's cancellation; not a model call, so no tile. A host without one fails clearly.
   */
  inpaint(request: InpaintRequest): Promise<Uint8Array>;
}

/** How the host lets generative ops run (see `ExecuteOptions`). */
export interface GenerationHost {
  readonly diffusionAssets?: DiffusionAssetsSource | undefined;
  readonly previewEvery?: number | undefined;
  readonly onPreview?: ((step: number, total: number, image: RgbaImage) => void) | undefined;
}

export class Execution implements StepContext, GenerationContext {
  /** Models in the order they first ran: what the edit's metadata reports. */
  readonly models: ModelId[] = [];
  /** The memo of the picture the current step reads; only the first step reads the run's input. */
  inputMemo: InputMemo | undefined;
  /** The run's mask, for the first step only (see `StepContext.mask`). */
  mask: Mask | undefined;
  /** The host's classical inpainting (see `ExecuteOptions.inpainter`). */
  inpainter: Inpainter | undefined;

  /** What generative steps made (see `GenerationOutput`), in step order. */
  readonly generated: GenerationOutput[] = [];

  constructor(
    private readonly runner: ModelRunner,
    readonly signal: AbortSignalLike | undefined,
    readonly progress: ProgressTracker,
    readonly tileSize: TileSizeOverride | undefined,
    private readonly host: GenerationHost = {},
  ) {}

  get generation(): GenerationContext {
    return this;
  }

  throwIfCancelled(): void {
    if (this.signal?.aborted) throw new LoupeError('CANCELLED');
  }

  async runTile(model: ModelId, feeds: Readonly<Record<string, TensorData>>) {
    this.throwIfCancelled();
    if (!this.models.includes(model)) this.models.push(model);
    let result: Record<string, TensorData>;
    try {
      result = await this.runner.run(model, feeds, this.signal);
    } catch (e) {
      this.throwIfCancelled();
      if (isLoupeError(e)) throw e;
      throw new LoupeError(
        'INFERENCE_FAILED',
        `${model}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    this.throwIfCancelled();
    this.progress.tileDone();
    return result;
  }

  async inpaint(request: InpaintRequest): Promise<Uint8Array> {
    this.throwIfCancelled();
    if (!this.inpainter)
      throw new LoupeError('INTERNAL', 'This runtime was started without an inpainter');
    let filled: Uint8Array;
    try {
      filled = await this.inpainter.inpaint(request, this.signal);
    } catch (e) {
      this.throwIfCancelled();
      if (isLoupeError(e)) throw e;
      throw new LoupeError(
        'INFERENCE_FAILED',
        `inpaint: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    this.throwIfCancelled();
    const { width, height } = request.image;
    if (filled.length !== width * height * 3)
      throw new LoupeError(
        'INFERENCE_FAILED',
        `inpaint returned ${filled.length} bytes for ${width}×${height} RGB`,
      );
    return filled;
  }

  async runPart(model: string, part: DiffusionPart, feeds: Readonly<Record<string, TypedTensor>>) {
    const runner = this.runner;
    if (!runner.runPart)
      throw new LoupeError('MODEL_UNAVAILABLE', 'This runtime cannot run diffusion models');
    return this.partCall(model, part, () => runner.runPart!(model, part, feeds, this.signal));
  }

  /** The runner's device tensors, with the same cancellation and error typing as `runPart`. */
  get device(): DeviceTensorRunner | undefined {
    const device = this.runner.device;
    if (!device) return undefined;
    return {
      location: device.location,
      runPartOnDevice: (model, part, feeds, keep) =>
        this.partCall(model, part, () =>
          device.runPartOnDevice(model, part, feeds, keep, this.signal),
        ),
      concat: (parts) => device.concat(parts),
      dispose: (t) => device.dispose(t),
    };
  }

  private async partCall<T>(model: string, part: DiffusionPart, call: () => Promise<T>) {
    this.throwIfCancelled();
    let result: T;
    try {
      result = await call();
    } catch (e) {
      this.throwIfCancelled();
      if (isLoupeError(e)) throw e;
      throw new LoupeError(
        'INFERENCE_FAILED',
        `${model}/${part}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    this.throwIfCancelled();
    return result;
  }

  async assets(model: string): Promise<DiffusionAssets> {
    const source = this.host.diffusionAssets;
    if (!source) throw new LoupeError('MODEL_UNAVAILABLE', 'This runtime has no diffusion models');
    return source(model);
  }

  stepDone(): void {
    this.progress.tileDone();
  }

  previewDue(): boolean {
    const every = this.host.previewEvery ?? 1;
    return Boolean(this.host.onPreview) && every > 0 && this.progress.tilesDone % every === 0;
  }

  preview(image: RgbaImage): void {
    this.host.onPreview?.(this.progress.tilesDone, this.progress.total, image);
  }

  record(output: GenerationOutput): void {
    this.generated.push(output);
  }

  async runInputTile(model: ModelId, feeds: () => Readonly<Record<string, TensorData>>) {
    const memo = this.inputMemo;
    const kept = memo?.get(model);
    if (!kept) {
      const result = await this.runTile(model, feeds());
      memo?.set(model, result);
      return result;
    }
    this.throwIfCancelled();
    if (!this.models.includes(model)) this.models.push(model);
    this.progress.tileDone();
    return kept;
  }
}

/**
 * The model's output tensor, checked against the dims the engine is about to index with:
 * a wrong shape from a runtime becomes a typed error instead of garbage pixels.
 */
export function modelOutput(
  spec: ModelSpec,
  result: Record<string, TensorData>,
  dims: readonly number[],
): TensorData {
  const out = result[spec.output.name];
  const ok =
    out !== undefined &&
    out.dims.length === dims.length &&
    out.dims.every((d, i) => d === dims[i]) &&
    out.data.length === dims.reduce((a, b) => a * b, 1);
  if (!ok) {
    const got = out ? `[${out.dims.join(', ')}]` : 'nothing';
    throw new LoupeError(
      'INFERENCE_FAILED',
      `${spec.id} returned ${got} for '${spec.output.name}', expected [${dims.join(', ')}]`,
    );
  }
  return out;
}
