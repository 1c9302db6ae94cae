import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoupeError, type Progress, type StepInput } from '@loupe/shared';
import {
  isCurrentProtocol,
  toWorker,
  type EpChoice,
  type FromWorker,
  type JobOutcome,
  type ModelResidencySnapshot,
  type OutputEncoding,
  type PixelTransport,
  type ResidencyAction,
  type WorkerInit,
} from './protocol';

/** The child died (crash, OOM, kill -9) while it held a job. */
export class WorkerExited extends Error {
  override readonly name = 'WorkerExited';
}

const INFERENCE_NICENESS = 10;

export type WorkerState = 'starting' | 'idle' | 'busy' | 'dead';

/** Source in dev and tests (run through tsx), the bundle next to dist/server.js in production. */
function workerEntry(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts'))
    return { path: join(dirname(here), 'worker-main.ts'), execArgv: ['--import', 'tsx'] };
  return { path: join(dirname(here), 'worker.js'), execArgv: [] };
}

interface RunningJob {
  jobId: string;
  resolve(outcome: JobOutcome): void;
  reject(error: Error): void;
  onProgress(progress: Progress): void;
}

export interface WorkerEvents {
  onReady(worker: WorkerProcess): void;
  onExit(worker: WorkerProcess, code: number | null, signal: string | null): void;
  onResidency(worker: WorkerProcess): void;
  onDeviceLost(worker: WorkerProcess, message: string): void;
}

/**
 * One inference child: fork, init handshake, one job at a time, request/response for
 * residency actions and probes. It never restarts itself; the supervisor decides.
 */
export class WorkerProcess {
  state: WorkerState = 'starting';
  choice: EpChoice | undefined;
  onnxruntime: string | undefined;
  residency: ModelResidencySnapshot[] = [];
  readonly startedAt = Date.now();
  private readonly child: ChildProcess;
  private job: RunningJob | undefined;
  private readonly pending = new Map<string, (answer: FromWorker | Error) => void>();

  constructor(
    readonly index: number,
    init: WorkerInit,
    private readonly events: WorkerEvents,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const entry = workerEntry();
    this.child = fork(entry.path, [], {
      execArgv: entry.execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env,
    });
    // Inference saturates every core; at a lower priority the HTTP process still gets the CPU it
    // needs to answer probes in milliseconds (measured on 2 shared cores: /health max 409 ms without).
    try {
      if (this.child.pid) setPriority(this.child.pid, INFERENCE_NICENESS);
    } catch {
      /* not permitted here: run at normal priority */
    }
    this.child.on('message', (m) => this.receive(m));
    this.child.on('exit', (code, signal) => this.exited(code, signal));
    this.child.on('error', () => {
      /* 'exit' follows and carries the outcome */
    });
    this.child.send(toWorker({ type: 'init', init }));
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get currentJobId(): string | undefined {
    return this.job?.jobId;
  }

  run(
    jobId: string,
    attempt: number,
    steps: StepInput[],
    image: PixelTransport,
    output: OutputEncoding,
    onProgress: (p: Progress) => void,
  ): Promise<JobOutcome> {
    if (this.state !== 'idle')
      return Promise.reject(new Error(`worker ${this.index} is ${this.state}`));
    this.state = 'busy';
    return new Promise<JobOutcome>((resolve, reject) => {
      this.job = { jobId, resolve, reject, onProgress };
      this.child.send(toWorker({ type: 'run', jobId, attempt, steps, image, output }));
    });
  }

  cancel(jobId: string): void {
    if (this.job?.jobId === jobId && this.child.connected)
      this.child.send(toWorker({ type: 'cancel', jobId }));
  }

  residencyAction(action: ResidencyAction, models: string[] | undefined, timeoutMs: number) {
    return this.request<'residency-done'>(
      (requestId) =>
        toWorker({ type: 'residency', requestId, action, ...(models ? { models } : {}) }),
      timeoutMs,
    );
  }

  probe(timeoutMs: number) {
    return this.request<'probe-done'>(
      (requestId) => toWorker({ type: 'probe', requestId }),
      timeoutMs,
    );
  }

  onExitOnce(listener: () => void): void {
    this.child.once('exit', listener);
  }

  /** SIGKILL: the only way to stop a synchronous onnxruntime run mid-tile. */
  kill(): void {
    if (this.state === 'dead') return;
    // Unusable from now on, even before the exit event: nothing may be dispatched to it.
    this.state = 'dead';
    this.child.kill('SIGKILL');
  }

  private request<T extends FromWorker['type']>(
    build: (requestId: string) => Parameters<ChildProcess['send']>[0],
    timeoutMs: number,
  ): Promise<Extract<FromWorker, { type: T }>> {
    const requestId = randomUUID();
    return new Promise((resolve, reject) => {
      if (this.state === 'dead' || !this.child.connected)
        return reject(new LoupeError('NOT_READY', `worker ${this.index} is not running`));
      // A request waits for the current tile to finish: the child's event loop is inside run().
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(
          new LoupeError(
            'INFERENCE_TIMEOUT',
            `worker ${this.index} did not answer within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.pending.set(requestId, (answer) => {
        clearTimeout(timer);
        if (answer instanceof Error) reject(answer);
        else resolve(answer as Extract<FromWorker, { type: T }>);
      });
      this.child.send(build(requestId));
    });
  }

  private receive(message: unknown): void {
    if (!isCurrentProtocol(message)) return;
    const m = message as FromWorker;
    switch (m.type) {
      case 'ready':
        this.choice = m.choice;
        this.onnxruntime = m.onnxruntime;
        this.state = 'idle';
        this.events.onReady(this);
        return;
      case 'progress':
        if (this.job?.jobId === m.jobId) this.job.onProgress(m.progress);
        return;
      case 'done':
        return this.finish(m.jobId, (job) => job.resolve(m.outcome));
      case 'failed':
        return this.finish(m.jobId, (job) =>
          job.reject(LoupeError.fromPayload(m.error)),
        );
      case 'residency':
        this.residency = m.models;
        this.events.onResidency(this);
        return;
      case 'residency-done':
      case 'probe-done':
        this.pending.get(m.requestId)?.(m);
        this.pending.delete(m.requestId);
        return;
      case 'device-lost':
        this.events.onDeviceLost(this, m.message);
        return;
    }
  }

  private finish(jobId: string, settle: (job: RunningJob) => void): void {
    const job = this.job;
    if (!job || job.jobId !== jobId) return;
    this.job = undefined;
    if (this.state === 'busy') this.state = 'idle';
    settle(job);
  }

  private exited(code: number | null, signal: string | null): void {
    this.state = 'dead';
    const job = this.job;
    this.job = undefined;
    job?.reject(
      new WorkerExited(
        `inference worker ${this.index} exited (${signal ?? `code ${code}`}) during job ${job.jobId}`,
      ),
    );
    for (const answer of this.pending.values())
      answer(new LoupeError('WORKER_CRASHED', `worker ${this.index} exited`));
    this.pending.clear();
    this.events.onExit(this, code, signal);
  }
}
