import type { Progress } from '../api/jobs';
import type { ProgressUnit } from '../ops/op-spec';

/**
 * Counts finished tiles across a whole pipeline and reports them as `Progress`:
 * the total is fixed up front from the tile grids, so the bar never jumps backwards.
 */
export class ProgressTracker {
  private done = 0;
  private stepDone = 0;
  private stepTiles = 0;
  private label = '';
  private readonly startedAt: number;

  constructor(
    readonly total: number,
    private readonly onProgress: ((p: Progress) => void) | undefined,
    private readonly now: () => number,
    /** Tiles for image ops; denoising steps when the pipeline generates. */
    readonly unit: ProgressUnit = 'tile',
  ) {
    this.startedAt = now();
  }

  get tilesDone(): number {
    return this.done;
  }

  beginStep(label: string, tiles: number): void {
    this.label = label;
    this.stepDone = 0;
    this.stepTiles = tiles;
  }

  tileDone(): void {
    this.done++;
    this.stepDone++;
    this.report();
  }

  report(): void {
    if (!this.onProgress) return;
    const progress: Progress = {
      done: this.done,
      total: this.total,
      unit: this.unit,
      stage: `${this.label} ${this.stepDone}/${this.stepTiles} ${this.unit === 'tile' ? 'tiles' : 'steps'}`,
    };
    if (this.done > 0) {
      const perTile = Math.max(0, this.now() - this.startedAt) / this.done;
      progress.etaMs = Math.round(perTile * (this.total - this.done));
    }
    this.onProgress(progress);
  }
}
