import { LoupeError, isLoupeError } from '../api/loupe-error';
import type { ModelId } from '../models/model-ids';
import type { ModelSpec } from '../models/model-specs';
import type { AbortSignalLike, ModelRunner, TensorData } from './model-runner';
import type { ProgressTracker } from './progress';
import type { TileSizeOverride } from './tiling';

/** What an op's engine gets to run models with; one model call is one tile of progress. */
export interface StepContext {
  readonly tileSize: TileSizeOverride | undefined;
  /**
   * Runs one tile (or one whole image) through a model. Throws `CANCELLED` before the call
   * when the signal has fired and after it when it fired meanwhile, so no later tile starts.
   */
  runTile(
    model: ModelId,
    feeds: Readonly<Record<string, TensorData>>,
  ): Promise<Record<string, TensorData>>;
}

export class Execution implements StepContext {
  /** Models in the order they first ran: what the edit's metadata reports. */
  readonly models: ModelId[] = [];

  constructor(
    private readonly runner: ModelRunner,
    private readonly signal: AbortSignalLike | undefined,
    readonly progress: ProgressTracker,
    readonly tileSize: TileSizeOverride | undefined,
  ) {}

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
