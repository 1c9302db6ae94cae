import { randomUUID } from 'node:crypto';
import { MIME } from '@loupe/runtime-node/image-codec';
import {
  LoupeError,
  editMetadata,
  type ErrorCode,
  type JobEvent,
  type ModelCost,
  type Progress,
  pipelineModels,
} from '@loupe/shared';
import type { Config } from '../config';
import { RetryLaterError } from '../errors/retry-later';
import { discardEncoded } from '../inference/encoded-transport';
import { discardPixels } from '../inference/pixel-transport';
import type { JobOutcome, PixelTransport } from '../inference/protocol';
import type { Supervisor } from '../inference/supervisor';
import { WorkerExited, type RunPreview, type WorkerProcess } from '../inference/worker-process';
import {
  createJobRecord,
  isTerminal,
  jobEvent,
  previewEvent,
  type JobRecord,
  type JobRequest,
} from './job';
import { ResultStore } from './result-store';
import { ServerThroughput } from './throughput';

/** What ran a fallback: the child's own CPU. */
const cpuLabel = (ep: string) => (ep === 'cpu' ? `CPU (${process.arch})` : ep);

/** A child that died mid-job gets the job once more; a second death fails it. */
const MAX_ATTEMPTS = 2;

/** 503 QUEUE_FULL with the seconds after which a retry is likely to be admitted. */
export class CapacityError extends RetryLaterError {
  constructor(retryAfterSeconds: number, message: string) {
    super('QUEUE_FULL', retryAfterSeconds, message);
  }
}

/** A place in the queue, held while an upload is read and decoded. */
export interface AdmissionTicket {
  release(): void;
}

export interface JobHooks {
  onSubmit?(job: JobRecord): void;
  onEnd(job: JobRecord): void;
}

/**
 * Admission, queueing and the life of each job: FIFO queue bounded by LOUPE_QUEUE_MAX in front
 * of one running job per worker; cancellation of queued and running jobs; hard timeouts that
 * kill the child; one retry after a child crash. Every job ends with exactly one terminal event.
 */
export class JobManager {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly queue: JobRecord[] = [];
  private readonly running = new Set<JobRecord>();
  private readonly results: ResultStore;
  private readonly sweepTimer: NodeJS.Timeout;
  private draining = false;
  private drainDeadline = 0;
  private drainPromise: Promise<void> | undefined;
  /** Places claimed by `admit` whose job is not queued yet (its upload is being read or decoded). */
  private reserved = 0;
  /** Recent run times feed Retry-After; seeded so the first refusals say something sensible. */
  private meanRunMs = 5_000;
  /** Jobs whose models were all on their worker's device when dispatched: their run is pure compute. */
  private readonly warm = new WeakSet<JobRecord>();
  /** FLOP/s of recent warm runs, for clients choosing between this server and their own device. */
  readonly throughput: ServerThroughput;

  constructor(
    private readonly config: Config,
    private readonly supervisor: Supervisor,
    private readonly hooks: JobHooks,
    /** The manifest's entries (FLOPs per pixel), for measuring throughput; none: nothing is measured. */
    modelCosts: () => readonly ModelCost[] = () => [],
  ) {
    this.throughput = new ServerThroughput(modelCosts);
    this.results = new ResultStore(
      config.LOUPE_RESULT_TTL_S * 1000,
      config.LOUPE_RESULT_MAX_BYTES,
      (job) => this.jobs.delete(job.id),
    );
    this.sweepTimer = setInterval(() => this.results.sweep(), 10_000).unref();
  }

  get depth(): number {
    return this.queue.length;
  }
  get runningCount(): number {
    return this.running.size;
  }
  get isDraining(): boolean {
    return this.draining;
  }
  get resultBytes(): number {
    return this.results.totalBytes;
  }

  /**
   * How long a job admitted now would wait for a worker: nothing while one is free, else its
   * place in line times the recent mean run time, shared by the workers. An upper estimate: a
   * running job counts whole.
   */
  get expectedWaitMs(): number {
    const workers = Math.max(1, this.config.LOUPE_WORKERS);
    const ahead = this.queue.length + this.reserved + this.running.size;
    if (ahead < workers) return 0;
    return Math.round(((ahead - workers + 1) * this.meanRunMs) / workers);
  }

  /**
   * Claims a place before anything expensive happens (reading, decoding): with the queue full
   * or the server draining, a refusal costs the same few milliseconds whatever the upload.
   * The ticket holds the place until `submit` uses it or `release` gives it back.
   */
  admit(): AdmissionTicket {
    if (this.draining) {
      const left = Math.max(1, Math.ceil((this.drainDeadline - Date.now()) / 1000));
      throw new RetryLaterError(
        'NOT_READY',
        left,
        'The server is shutting down and admits no new jobs; retry on another instance or after it restarts',
      );
    }
    // Every child is of another build: queued jobs would wait forever, so say why now.
    const { incompatibility, workers } = this.supervisor;
    if (incompatibility && workers.every((w) => w?.state === 'incompatible'))
      throw new LoupeError('INCOMPATIBLE_PROTOCOL', incompatibility);
    const assigned = new Set(this.workerByJob.values());
    const free = this.supervisor.workers.filter(
      (w) => w?.state === 'idle' && !assigned.has(w),
    ).length;
    const waiting = this.queue.length + this.reserved;
    if (waiting >= free + this.config.LOUPE_QUEUE_MAX) {
      const retryAfter = Math.max(
        1,
        Math.ceil(((waiting + 1) * this.meanRunMs) / 1000 / this.config.LOUPE_WORKERS),
      );
      throw new CapacityError(
        retryAfter,
        `${this.running.size} jobs running and ${waiting} queued (LOUPE_QUEUE_MAX=${this.config.LOUPE_QUEUE_MAX}); retry in ${retryAfter} s`,
      );
    }
    this.reserved++;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.reserved--;
      },
    };
  }

  /** Queues a job on the place `ticket` holds (from `admit`). */
  submit(
    request: JobRequest,
    input: PixelTransport | undefined,
    ticket: AdmissionTicket,
  ): JobRecord {
    ticket.release();
    if (this.draining)
      throw new RetryLaterError(
        'NOT_READY',
        1,
        'The server is shutting down and admits no new jobs',
      );
    const job = createJobRecord(randomUUID(), request, input);
    this.jobs.set(job.id, job);
    this.queue.push(job);
    job.position = this.queue.length - 1;
    this.emit(job, jobEvent(job, { type: 'queued', position: job.position }));
    this.hooks.onSubmit?.(job);
    this.pump();
    return job;
  }

  get(id: string): JobRecord | undefined {
    const job = this.jobs.get(id);
    return job && (job.request.retain || !isTerminal(job)) ? job : undefined;
  }

  /** For POST /api/edit: the caller has its answer, nothing to keep. */
  forget(job: JobRecord): void {
    if (!job.request.retain) this.jobs.delete(job.id);
    job.handOver();
  }

  /**
   * The client has seen how a finished job ended (`outcome`: its state, terminal event or
   * callback) or fetched its result: a drain need not keep serving it. A succeeded job is
   * handed over only with its result, which is what its client is still coming for.
   */
  delivered(job: JobRecord, what: 'outcome' | 'result'): void {
    if (!isTerminal(job)) return;
    if (what === 'result' || job.state !== 'succeeded') job.handOver();
  }

  subscribe(job: JobRecord, listener: (event: JobEvent) => void): () => void {
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  /** Queued: removed at once. Running: the child stops between tiles, or is killed after the grace period. */
  cancel(job: JobRecord, reason: string): boolean {
    if (isTerminal(job)) return false;
    const queuedAt = this.queue.indexOf(job);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
      this.emitPositions();
    }
    const worker = this.workerOf(job);
    this.finish(job, 'cancelled', jobEvent(job, { type: 'cancelled', reason }));
    if (worker) {
      worker.cancel(job.id);
      setTimeout(
        () => worker.currentJobId === job.id && worker.kill(),
        this.config.LOUPE_CANCEL_GRACE_S * 1000,
      ).unref();
    }
    return true;
  }

  /**
   * Stops admitting, then keeps serving the jobs in flight until each has ended and been handed
   * over to its client (result or terminal state fetched, SSE terminal event sent, callback
   * done), for up to `timeoutMs`; what is still running then is cancelled. Idempotent: the
   * signal handler and Fastify's close both call it.
   */
  drain(timeoutMs: number): Promise<void> {
    this.drainPromise ??= this.runDrain(timeoutMs);
    return this.drainPromise;
  }

  private async runDrain(timeoutMs: number): Promise<void> {
    this.draining = true;
    this.drainDeadline = Date.now() + timeoutMs;
    const pending = [...this.jobs.values()].filter((j) => !isTerminal(j));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(pending.map((j) => j.handedOver)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    for (const job of pending) this.cancel(job, 'server shutting down');
    clearInterval(this.sweepTimer);
  }

  /** Called when a worker becomes idle (start, restart, job end). */
  pump(): void {
    while (this.queue.length) {
      const worker = this.freeWorker();
      if (!worker) return;
      const job = this.queue.shift()!;
      this.emitPositions();
      void this.dispatch(job, worker);
    }
  }

  private readonly workerByJob = new Map<JobRecord, WorkerProcess>();

  /**
   * A worker stays 'idle' until its run message is sent: workers already assigned a job are
   * excluded so that two jobs are never dispatched to one worker, whatever awaits come between.
   */
  private freeWorker(): WorkerProcess | undefined {
    return this.supervisor.idleWorker(new Set(this.workerByJob.values()));
  }
  private workerOf(job: JobRecord): WorkerProcess | undefined {
    return this.workerByJob.get(job);
  }

  private async dispatch(job: JobRecord, worker: WorkerProcess): Promise<void> {
    job.state = 'running';
    job.position = undefined;
    job.attempts++;
    job.startedAt ??= Date.now();
    job.attemptStartedAt = performance.now();
    const resident = new Set(
      worker.residency.filter((m) => m.residency === 'device').map((m) => m.id),
    );
    if (pipelineModels(job.request.steps).every((id) => resident.has(id))) this.warm.add(job);
    else this.warm.delete(job);
    this.running.add(job);
    this.workerByJob.set(job, worker);
    this.emit(job, jobEvent(job, { type: 'started', attempt: job.attempts }));
    const timeout = setTimeout(() => {
      if (this.workerOf(job) !== worker || isTerminal(job)) return;
      this.fail(
        job,
        'INFERENCE_TIMEOUT',
        `The job ran longer than LOUPE_JOB_TIMEOUT_S=${this.config.LOUPE_JOB_TIMEOUT_S} s; its worker was restarted`,
      );
      worker.kill();
    }, this.config.LOUPE_JOB_TIMEOUT_S * 1000);
    try {
      const { steps, format, quality, compression, diffusion, mask } = job.request;
      const outcome = await worker.run(
        job.id,
        job.attempts,
        steps,
        { image: job.input, ...(diffusion ? { diffusion } : {}), ...(mask ? { mask } : {}) },
        { format, quality, compression },
        (p) => this.progress(job, p),
        (p) => this.preview(job, p),
      );
      if (isTerminal(job))
        await Promise.all([outcome.result, ...(outcome.more ?? [])].map(discardEncoded));
      else this.complete(job, outcome, worker);
    } catch (e) {
      if (!isTerminal(job)) this.failed(job, e);
    } finally {
      clearTimeout(timeout);
      this.running.delete(job);
      this.workerByJob.delete(job);
      this.pump();
    }
  }

  private failed(job: JobRecord, e: unknown): void {
    if (e instanceof WorkerExited) {
      if (job.attempts < MAX_ATTEMPTS && !this.draining) {
        job.state = 'queued';
        this.queue.unshift(job);
        job.position = 0;
        this.emit(job, jobEvent(job, { type: 'queued', position: 0 }));
        this.emitPositions();
        return;
      }
      return this.fail(
        job,
        'WORKER_CRASHED',
        `${e.message}; gave up after ${job.attempts} attempts`,
      );
    }
    if (e instanceof LoupeError) {
      if (e.code === 'CANCELLED')
        return this.finish(
          job,
          'cancelled',
          jobEvent(job, { type: 'cancelled', reason: e.message }),
        );
      return this.fail(job, e.code, e.message);
    }
    this.fail(job, 'INTERNAL', e instanceof Error ? e.message : String(e));
  }

  private complete(job: JobRecord, outcome: JobOutcome, worker: WorkerProcess): void {
    const end = performance.now();
    const { request } = job;
    const runMs = end - job.attemptStartedAt!;
    this.meanRunMs = 0.8 * this.meanRunMs + 0.2 * runMs;
    // A fallback ran on another EP than the one this server reports its speed for.
    if (this.warm.has(job) && !outcome.fallback)
      this.throughput.record(request.steps, request.input, outcome.inferMs);
    const queueMs = Math.max(0, job.attemptStartedAt! - request.receivedAt - request.decodeMs);
    const mime = MIME[request.format];
    job.result = { ...outcome.result, mime };
    if (outcome.more) job.moreResults = outcome.more.map((more) => ({ ...more, mime }));
    job.metadata = editMetadata({
      steps: request.steps,
      placement: 'server',
      ep: outcome.ep,
      fallback: outcome.fallback,
      // The device of the child that ran it (with several GPUs each child has its own), unless
      // the edit fell back to the CPU: then the GPU's name would say where it did not run.
      device:
        outcome.ep === worker.choice?.ep
          ? (worker.choice.device ?? outcome.ep)
          : cpuLabel(outcome.ep),
      models: outcome.models,
      tiles: outcome.tiles,
      timings: {
        queueMs,
        decodeMs: request.decodeMs,
        inferMs: outcome.inferMs,
        encodeMs: outcome.encodeMs,
        totalMs: end - request.receivedAt,
      },
      input: request.input,
      output: { width: outcome.width, height: outcome.height, format: request.format },
      generation: outcome.generation,
    });
    this.finish(job, 'succeeded', jobEvent(job, { type: 'completed', metadata: job.metadata }));
  }

  private progress(job: JobRecord, progress: Progress): void {
    if (isTerminal(job)) return;
    job.progress = progress;
    this.emit(job, jobEvent(job, { type: 'progress', progress: job.progress }));
  }

  /**
   * Kept as the job's latest preview and sent to the listeners of the moment, but not added to
   * the replayed events: a job's history stays small however many previews it had, and a late
   * subscriber gets the latest one (see `latestPreviewEvent`).
   */
  private preview(job: JobRecord, preview: RunPreview): void {
    if (isTerminal(job)) return;
    job.preview = { step: preview.step, total: preview.total, ...preview.image };
    const event = previewEvent(job);
    if (event) for (const listener of job.listeners) listener(event);
  }

  private fail(job: JobRecord, code: ErrorCode, message: string): void {
    job.error = { code, message };
    this.finish(job, 'failed', jobEvent(job, { type: 'failed', error: job.error }));
  }

  /** The single place a job becomes terminal: one terminal event, listeners released, result retained. */
  private finish(
    job: JobRecord,
    state: 'succeeded' | 'failed' | 'cancelled',
    event: JobEvent,
  ): void {
    if (isTerminal(job)) return;
    job.state = state;
    job.finishedAt = Date.now();
    job.position = undefined;
    if (job.input) void discardPixels(job.input);
    job.input = undefined;
    this.emit(job, event);
    job.listeners.clear();
    job.end();
    if (job.request.retain) this.results.add(job);
    this.hooks.onEnd(job);
  }

  private emitPositions(): void {
    this.queue.forEach((job, position) => {
      if (job.position === position) return;
      job.position = position;
      this.emit(job, jobEvent(job, { type: 'queued', position }));
    });
  }

  private emit(job: JobRecord, event: JobEvent): void {
    job.events.push(event);
    for (const listener of job.listeners) listener(event);
  }
}
