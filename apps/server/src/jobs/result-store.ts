import { resultsOf, type JobRecord } from './job';
import { disposeResult } from './result-body';

/**
 * Finished jobs stay fetchable for `ttlMs`, and their encoded results (in memory or temp
 * files) fit in `maxBytes` in total: when a new result would overflow, the oldest results are
 * dropped first (their jobs stay listed, without a result) so memory and disk are bounded by
 * configuration, not by traffic.
 */
export class ResultStore {
  private readonly finished: JobRecord[] = [];
  private bytes = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxBytes: number,
    private readonly forget: (job: JobRecord) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get totalBytes(): number {
    return this.bytes;
  }

  add(job: JobRecord): void {
    if (job.result) {
      job.resultExpiresAt = (job.finishedAt ?? this.now()) + this.ttlMs;
      for (const result of resultsOf(job)) this.bytes += result.size;
    }
    this.finished.push(job);
    this.sweep();
  }

  /** Drops expired jobs and, oldest first, results beyond the byte budget. */
  sweep(): void {
    const now = this.now();
    while (this.finished.length && (this.finished[0]!.finishedAt ?? 0) + this.ttlMs <= now) {
      const job = this.finished.shift()!;
      this.dropResult(job);
      this.forget(job);
    }
    for (const job of this.finished) {
      if (this.bytes <= this.maxBytes) break;
      this.dropResult(job);
    }
  }

  private dropResult(job: JobRecord): void {
    for (const result of resultsOf(job)) {
      this.bytes -= result.size;
      void disposeResult(result);
    }
    job.result = undefined;
    job.moreResults = undefined;
    job.resultExpiresAt = undefined;
  }
}
