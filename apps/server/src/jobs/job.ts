import type { InputFormat } from '@loupe/runtime-node/image-codec';
import {
  PROTOCOL_VERSION,
  TERMINAL_JOB_STATES,
  type Compression,
  type EditMetadata,
  type ErrorCode,
  type Job,
  type Mask,
  type JobEvent,
  type JobState,
  type OutputFormat,
  type Progress,
  type Size,
  type Step,
} from '@loupe/shared';
import type {
  DiffusionFolderRef,
  EncodedTransport,
  PixelTransport,
  PreviewImage,
} from '../inference/protocol';

/** What a client asked for, after decoding and validation in the HTTP process. */
export interface JobRequest {
  steps: Step[];
  /** The decoded upload's size and format; 0×0 with no format for an op that takes no image. */
  input: Size & { format?: InputFormat };
  /** The diffusion folders the steps name, resolved and checked before queueing. */
  diffusion?: Record<string, DiffusionFolderRef>;
  format: OutputFormat;
  quality: number;
  /** Resolved from the request or the result's size before the job is queued. */
  compression: Compression;
  /** When the request arrived (performance.now()), for totalMs. */
  receivedAt: number;
  decodeMs: number;
  callbackUrl?: string;
  /** Kept for GET /api/jobs/:id/result; POST /api/edit answers inline and forgets the job. */
  retain: boolean;
  /** For ops that take one (inpaint, erase): decoded, the input's size; kept for a retry. */
  mask?: Mask;
}

/** The encoded result: in memory when small, else a temp file streamed to clients and deleted with the job. */
export type JobResult = { mime: string } & EncodedTransport;

/** A preview as the child encoded it, after `step` of `total` denoising steps. */
export type JobPreview = { step: number; total: number } & PreviewImage;

/** One job as the server tracks it; `toJob` is what clients see. */
export interface JobRecord {
  readonly id: string;
  readonly request: JobRequest;
  /** Decoded input, kept for a retry after a crash and discarded when the job ends. */
  input: PixelTransport | undefined;
  state: JobState;
  readonly createdAt: number;
  startedAt?: number;
  attemptStartedAt?: number;
  finishedAt?: number;
  attempts: number;
  position?: number;
  progress?: Progress;
  error?: { code: ErrorCode; message: string };
  metadata?: EditMetadata;
  result?: JobResult;
  /** A generative step's other pictures (count > 1), kept and dropped with `result`. */
  moreResults?: JobResult[];
  resultExpiresAt?: number;
  /** The latest denoising preview (generative ops), for GET /api/jobs/:id/preview. */
  preview?: JobPreview;
  /** Every event so far, replayed to late SSE subscribers; the last one is terminal once the job ends. */
  readonly events: JobEvent[];
  readonly listeners: Set<(event: JobEvent) => void>;
  readonly ended: Promise<void>;
  end(): void;
  /** Resolved once the client has learned the outcome (see JobManager.delivered); a drain waits for it. */
  readonly handedOver: Promise<void>;
  handOver(): void;
}

type EventBody = JobEvent extends infer E
  ? E extends JobEvent
    ? Omit<E, 'v' | 'jobId' | 'at'>
    : never
  : never;

export function createJobRecord(
  id: string,
  request: JobRequest,
  input: PixelTransport | undefined,
): JobRecord {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  let handOver!: () => void;
  const handedOver = new Promise<void>((resolve) => (handOver = resolve));
  return {
    id,
    request,
    input,
    state: 'queued',
    createdAt: Date.now(),
    attempts: 0,
    events: [],
    listeners: new Set(),
    ended,
    end,
    handedOver,
    handOver,
  };
}

export function isTerminal(job: JobRecord): boolean {
  return TERMINAL_JOB_STATES.includes(job.state);
}

export function jobEvent(job: JobRecord, body: EventBody): JobEvent {
  return { v: PROTOCOL_VERSION, jobId: job.id, at: new Date().toISOString(), ...body } as JobEvent;
}

/** The job's latest preview as an SSE event (the image as a data URL), or undefined before the first. */
export function previewEvent(job: JobRecord): JobEvent | undefined {
  const p = job.preview;
  if (!p) return undefined;
  const image = `data:${p.mime};base64,${Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength).toString('base64')}`;
  return jobEvent(job, {
    type: 'preview',
    step: p.step,
    total: p.total,
    width: p.width,
    height: p.height,
    image,
  });
}

/** Every picture of a job's result, the first being `result`; none once it is dropped. */
export function resultsOf(job: JobRecord): JobResult[] {
  return job.result ? [job.result, ...(job.moreResults ?? [])] : [];
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function toJob(job: JobRecord): Job {
  return {
    id: job.id,
    state: job.state,
    createdAt: iso(job.createdAt)!,
    ...(job.startedAt ? { startedAt: iso(job.startedAt) } : {}),
    ...(job.finishedAt ? { finishedAt: iso(job.finishedAt) } : {}),
    ...(job.state === 'queued' && job.position !== undefined ? { position: job.position } : {}),
    ...(job.progress ? { progress: job.progress } : {}),
    ...(job.error ? { error: job.error } : {}),
    ...(job.metadata ? { metadata: job.metadata } : {}),
    ...(job.result && job.resultExpiresAt ? { resultExpiresAt: iso(job.resultExpiresAt) } : {}),
    ...(job.result ? { resultCount: resultsOf(job).length } : {}),
    attempts: job.attempts,
  };
}
