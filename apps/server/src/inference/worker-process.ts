import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CHILD_ANSWERS,
  FromChildSchema,
  LoupeError,
  PROTOCOL_VERSION,
  receive,
  type ChildAnswer,
  type FromChild,
  type IncompatibleMessage,
  type Mask,
  type Progress,
  type Receipt,
  type StepInput,
  type ToChild,
  type WorkerState,
  type EpChoice,
  type JobOutcome,
  type ModelResidencySnapshot,
  type OutputEncoding,
  type PixelTransport,
  type PreviewImage,
  type DiffusionFolderRef,
  type ResidencyAction,
  type WorkerInit,
} from '@loupe/shared';

/** The child died (crash, OOM, kill -9) while it held a job. */
export class WorkerExited extends Error {
  override readonly name = 'WorkerExited';
}

const INFERENCE_NICENESS = 10;

/**
 * How long the handshake may take: the child loads onnxruntime and picks its EP, which under
 * `auto` creates a probe session on CUDA and WebGPU. A child that never answers (a build from
 * before versioned `incompatible` answers, a hung driver) is refused after this, not waited on.
 */
export const HANDSHAKE_TIMEOUT_MS = 60_000;

/** Source in dev and tests (run through tsx), the bundle next to dist/server.js in production. */
function workerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), here.endsWith('.ts') ? 'worker-main.ts' : 'worker.js');
}

export interface WorkerOptions {
  /** The child's entry module (tests start children of other builds); a .ts entry runs through tsx. */
  entry?: string;
  handshakeTimeoutMs?: number;
}

interface RunningJob {
  /** The id of the run request; the child's answers name it. */
  id: string;
  jobId: string;
  resolve(outcome: JobOutcome): void;
  reject(error: Error): void;
  onProgress(progress: Progress): void;
  onPreview(preview: RunPreview): void;
}

/** A denoising preview the child sent for the running job. */
export interface RunPreview {
  step: number;
  total: number;
  image: PreviewImage;
}

/** What a run takes besides its steps: the input (none for generate) and the folders it needs. */
export interface RunInput {
  image: PixelTransport | undefined;
  diffusion?: Record<string, DiffusionFolderRef>;
  /** For ops that take a mask (inpaint, erase): the input's size. */
  mask?: Mask | undefined;
}

interface PendingCall {
  answer: FromChild['type'];
  settle(answer: FromChild | Error): void;
}

type CallType = 'init' | 'residency' | 'probe';
type Call<T extends CallType> = Omit<Extract<ToChild, { type: T }>, 'v' | 'id'>;

export interface WorkerEvents {
  onReady(worker: WorkerProcess): void;
  /** `reason` names why: the failed handshake when there was one, else the signal or exit code. */
  onExit(worker: WorkerProcess, reason: string): void;
  onResidency(worker: WorkerProcess): void;
  onDeviceLost(worker: WorkerProcess, message: string): void;
  /** A message refused (another protocol version, or malformed) or a handshake that failed. */
  onProtocolError(worker: WorkerProcess, error: LoupeError): void;
}

/**
 * One inference child: fork, init handshake, one job at a time, request/response for
 * residency actions and probes. Every message from the child is parsed on receipt; one of
 * another protocol version makes the worker `incompatible` for good. It never restarts
 * itself; the supervisor decides.
 */
export class WorkerProcess {
  state: WorkerState = 'starting';
  choice: EpChoice | undefined;
  onnxruntime: string | undefined;
  residency: ModelResidencySnapshot[] = [];
  readonly startedAt = Date.now();
  /** Why the child is being stopped, when it is this side's decision (a failed handshake). */
  private failure: string | undefined;
  private readonly child: ChildProcess;
  private job: RunningJob | undefined;
  private readonly pending = new Map<string, PendingCall>();

  constructor(
    readonly index: number,
    init: WorkerInit,
    private readonly events: WorkerEvents,
    env: NodeJS.ProcessEnv = process.env,
    { entry = workerEntry(), handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS }: WorkerOptions = {},
  ) {
    this.child = fork(entry, [], {
      execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
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
    this.request<'init'>({ type: 'init', init }, handshakeTimeoutMs).then(
      (ready) => {
        this.choice = ready.choice;
        this.onnxruntime = ready.onnxruntime;
        this.state = 'idle';
        this.events.onReady(this);
      },
      (error: LoupeError) => this.handshakeFailed(error),
    );
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get currentJobId(): string | undefined {
    return this.job?.jobId;
  }

  /** Has no timeout of its own: the job manager bounds it (LOUPE_JOB_TIMEOUT_S) and kills the child. */
  run(
    jobId: string,
    attempt: number,
    steps: StepInput[],
    input: RunInput,
    output: OutputEncoding,
    onProgress: (p: Progress) => void,
    onPreview: (preview: RunPreview) => void = () => {},
  ): Promise<JobOutcome> {
    if (this.state !== 'idle')
      return Promise.reject(new Error(`worker ${this.index} is ${this.state}`));
    this.state = 'busy';
    const id = randomUUID();
    const { image, diffusion, mask } = input;
    return new Promise<JobOutcome>((resolve, reject) => {
      this.job = { id, jobId, resolve, reject, onProgress, onPreview };
      this.send({
        v: PROTOCOL_VERSION,
        id,
        type: 'run',
        jobId,
        attempt,
        steps,
        ...(image ? { image } : {}),
        ...(diffusion && Object.keys(diffusion).length ? { diffusion } : {}),
        output,
        ...(mask ? { mask } : {}),
      });
    });
  }

  cancel(jobId: string): void {
    if (this.job?.jobId !== jobId) return;
    this.send({ v: PROTOCOL_VERSION, id: randomUUID(), type: 'cancel', target: this.job.id });
  }

  residencyAction(action: ResidencyAction, models: string[] | undefined, timeoutMs: number) {
    return this.request<'residency'>(
      { type: 'residency', action, ...(models ? { models } : {}) },
      timeoutMs,
    );
  }

  probe(timeoutMs: number) {
    return this.request<'probe'>({ type: 'probe' }, timeoutMs);
  }

  /** Resolves once the child process has exited (at once if it already has). */
  whenExited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** SIGKILL: the only way to stop a synchronous onnxruntime run mid-tile. */
  kill(): void {
    if (this.state === 'dead') return;
    // Unusable from now on, even before the exit event: nothing may be dispatched to it.
    if (this.state !== 'incompatible') this.state = 'dead';
    this.child.kill('SIGKILL');
  }

  private send(message: ToChild | IncompatibleMessage): void {
    if (this.child.connected) this.child.send(message);
  }

  private request<T extends CallType>(call: Call<T>, timeoutMs: number): Promise<ChildAnswer<T>> {
    const id = randomUUID();
    const label = `worker ${this.index}`;
    return new Promise((resolve, reject) => {
      if (this.state === 'dead' || this.state === 'incompatible' || !this.child.connected)
        return reject(new LoupeError('NOT_READY', `${label} is not running`));
      // A request waits for the current tile to finish: the child's event loop is inside run().
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new LoupeError(
            'INFERENCE_TIMEOUT',
            `${label} did not answer '${call.type}' within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.pending.set(id, {
        answer: CHILD_ANSWERS[call.type],
        settle: (answer) => {
          clearTimeout(timer);
          this.pending.delete(id);
          if (answer instanceof Error) reject(answer);
          else resolve(answer as ChildAnswer<T>);
        },
      });
      this.send({ v: PROTOCOL_VERSION, id, ...call } as ToChild);
    });
  }

  private receive(raw: unknown): void {
    const receipt = receive(FromChildSchema, raw, 'INTERNAL');
    if (!receipt.ok) return this.refuse(receipt);
    const m = receipt.message;
    switch (m.type) {
      case 'progress':
        if (this.job?.id === m.id) this.job.onProgress(m.progress);
        return;
      case 'preview':
        if (this.job?.id === m.id)
          this.job.onPreview({ step: m.step, total: m.total, image: m.image });
        return;
      case 'done':
        return this.finish(m.id, (job) => job.resolve(m.outcome));
      case 'error': {
        const error = LoupeError.fromPayload(m.error);
        if (this.job?.id === m.id) return this.finish(m.id, (job) => job.reject(error));
        return this.pending.get(m.id)?.settle(error);
      }
      case 'residency':
        this.residency = m.models;
        this.events.onResidency(this);
        return;
      case 'device-lost':
        this.events.onDeviceLost(this, m.message);
        return;
      case 'ready':
      case 'residency-done':
      case 'probe-done': {
        const call = this.pending.get(m.id);
        if (!call) return; // The call timed out; its answer came late.
        return call.settle(
          call.answer === m.type
            ? m
            : new LoupeError(
                'INTERNAL',
                `worker ${this.index} answered '${m.type}', expected '${call.answer}'`,
              ),
        );
      }
    }
  }

  /**
   * A message this side cannot trust. Another protocol version ends the child; a malformed
   * message fails the call it names (whose owner reports it), or is reported here.
   */
  private refuse(receipt: Extract<Receipt<unknown>, { ok: false }>): void {
    const error = new LoupeError(
      receipt.error.code,
      `inference worker ${this.index} (pid ${this.pid}): ${receipt.error.message}`,
    );
    if (error.code === 'INCOMPATIBLE_PROTOCOL') {
      this.events.onProtocolError(this, error);
      return this.incompatible(error, receipt.reply);
    }
    if (receipt.id && this.job?.id === receipt.id)
      return this.finish(receipt.id, (job) => job.reject(error));
    const call = receipt.id ? this.pending.get(receipt.id) : undefined;
    if (call) return call.settle(error);
    this.events.onProtocolError(this, error);
  }

  /**
   * No restart can fix another protocol version: every call fails now with the reason. The
   * child is told why, then its channel closes (it exits on disconnect); one that lingers is killed.
   */
  private incompatible(error: LoupeError, reply: IncompatibleMessage | undefined): void {
    if (this.state === 'dead' || this.state === 'incompatible') return;
    this.state = 'incompatible';
    this.failure = error.message;
    this.failAll(error);
    const stop = () => {
      if (this.child.connected) this.child.disconnect();
      setTimeout(() => this.child.kill('SIGKILL'), 1_000).unref();
    };
    if (reply && this.child.connected) this.child.send(reply, stop);
    else stop();
  }

  private handshakeFailed(error: LoupeError): void {
    if (this.state === 'dead' || this.state === 'incompatible') return;
    // A child that cannot finish its handshake is stopped; the supervisor restarts it with backoff.
    this.failure = `handshake failed: ${error.message}`;
    this.events.onProtocolError(
      this,
      new LoupeError(
        error.code,
        `inference worker ${this.index} (pid ${this.pid}) ${this.failure}`,
      ),
    );
    this.kill();
  }

  private finish(id: string, settle: (job: RunningJob) => void): void {
    const job = this.job;
    if (!job || job.id !== id) return;
    this.job = undefined;
    if (this.state === 'busy') this.state = 'idle';
    settle(job);
  }

  private failAll(error: Error): void {
    const job = this.job;
    this.job = undefined;
    job?.reject(error);
    for (const call of [...this.pending.values()]) call.settle(error);
  }

  private exited(code: number | null, signal: string | null): void {
    if (this.state !== 'incompatible') this.state = 'dead';
    const reason = this.failure ?? signal ?? `exit code ${code}`;
    const job = this.job;
    this.job = undefined;
    job?.reject(
      new WorkerExited(`inference worker ${this.index} exited (${reason}) during job ${job.jobId}`),
    );
    this.failAll(new LoupeError('WORKER_CRASHED', `worker ${this.index} exited (${reason})`));
    this.events.onExit(this, reason);
  }
}
