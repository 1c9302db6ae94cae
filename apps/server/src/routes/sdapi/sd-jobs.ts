import type { JobRecord } from '../../jobs/job';
import { isTerminal } from '../../jobs/job';

/**
 * The jobs the SD web UI dialect started, newest last: what GET /sdapi/v1/progress reports (that
 * API has one "current job" per server) and what POST /sdapi/v1/interrupt stops. Ended jobs are
 * kept only as the latest one, so progress can say the last job finished.
 */
export class SdJobs {
  /** The dialect's current checkpoint (POST /sdapi/v1/options `sd_model_checkpoint`), if set. */
  checkpoint: string | undefined;
  private readonly jobs: JobRecord[] = [];
  private readonly interrupted = new WeakSet<JobRecord>();

  track(job: JobRecord): void {
    this.jobs.push(job);
    void job.ended.then(() => this.prune());
  }

  /** The running job, else the first queued one, else the last one that ended (or none). */
  current(): JobRecord | undefined {
    return (
      this.jobs.find((j) => j.state === 'running') ??
      this.jobs.find((j) => !isTerminal(j)) ??
      this.jobs.at(-1)
    );
  }

  /** Jobs not ended yet: A1111's job_count. */
  pending(): number {
    return this.jobs.filter((j) => !isTerminal(j)).length;
  }

  /** Marks the running jobs interrupted and returns them for the caller to cancel. */
  interrupt(): JobRecord[] {
    const running = this.jobs.filter((j) => j.state === 'running');
    for (const j of running) this.interrupted.add(j);
    return running;
  }

  wasInterrupted(job: JobRecord): boolean {
    return this.interrupted.has(job);
  }

  private prune(): void {
    const last = this.jobs.at(-1);
    for (let i = this.jobs.length - 1; i >= 0; i--)
      if (isTerminal(this.jobs[i]!) && this.jobs[i] !== last) this.jobs.splice(i, 1);
  }
}
