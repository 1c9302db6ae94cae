import type {
  ErrorCode,
  ExecutionProvider,
  FieldIssue,
  ModelResidency,
  OutputFormat,
  Progress,
  ServerEpPreference,
  StepInput,
} from '@loupe/shared';
import { PROTOCOL_VERSION } from '@loupe/shared';

/**
 * Messages between the HTTP process (supervisor) and an inference child, one tagged union
 * each way, stamped with PROTOCOL_VERSION so a stale dist/worker.js is refused loudly
 * instead of misreading fields. Sent over IPC with 'advanced' serialization, so typed
 * arrays cross as bytes, not JSON.
 */

/**
 * Decoded input on its way to a child: inline RGBA for small images; for large ones a VIPS
 * file the HTTP process decoded into (no 200 MB IPC frames, no decoded copy in the parent).
 * The parent owns the file: it outlives a crashed attempt, for the retry.
 */
export type PixelTransport =
  | { kind: 'inline'; width: number; height: number; data: Uint8Array }
  | { kind: 'vips-file'; width: number; height: number; path: string };

/** The child's encoded result: inline when small, else a file the parent streams and deletes. */
export type EncodedTransport = { size: number } & (
  { kind: 'inline'; bytes: Uint8Array } | { kind: 'file'; path: string }
);

export interface OutputEncoding {
  format: OutputFormat;
  quality: number;
}

export interface WireError {
  code: ErrorCode;
  message: string;
  fields?: FieldIssue[];
}

export interface WorkerInit {
  index: number;
  ep: ServerEpPreference;
  modelsDir: string;
  idleOffloadSeconds: number;
  tempDir: string;
  inlineMaxBytes: number;
}

export type ResidencyAction = 'offload' | 'release';

export type ToWorker =
  | { v: typeof PROTOCOL_VERSION; type: 'init'; init: WorkerInit }
  | {
      v: typeof PROTOCOL_VERSION;
      type: 'run';
      jobId: string;
      attempt: number;
      steps: StepInput[];
      image: PixelTransport;
      output: OutputEncoding;
    }
  | { v: typeof PROTOCOL_VERSION; type: 'cancel'; jobId: string }
  | {
      v: typeof PROTOCOL_VERSION;
      type: 'residency';
      requestId: string;
      action: ResidencyAction;
      models?: string[];
    }
  | { v: typeof PROTOCOL_VERSION; type: 'probe'; requestId: string };

export interface EpChoice {
  ep: ExecutionProvider;
  reason: string;
  device: string;
}

/** Encoding happens in the child so the HTTP process never holds the decoded result. */
export interface JobOutcome {
  result: EncodedTransport;
  width: number;
  height: number;
  models: string[];
  tiles: number;
  inferMs: number;
  encodeMs: number;
  ep: ExecutionProvider;
  fallback?: { from: ExecutionProvider; reason: string };
}

export type FromWorker =
  | { v: typeof PROTOCOL_VERSION; type: 'ready'; choice: EpChoice; onnxruntime: string }
  | { v: typeof PROTOCOL_VERSION; type: 'progress'; jobId: string; progress: Progress }
  | { v: typeof PROTOCOL_VERSION; type: 'done'; jobId: string; outcome: JobOutcome }
  | { v: typeof PROTOCOL_VERSION; type: 'failed'; jobId: string; error: WireError }
  | { v: typeof PROTOCOL_VERSION; type: 'residency'; models: ModelResidencySnapshot[] }
  | {
      v: typeof PROTOCOL_VERSION;
      type: 'residency-done';
      requestId: string;
      affected: string[];
      skippedInUse: string[];
    }
  | {
      v: typeof PROTOCOL_VERSION;
      type: 'probe-done';
      requestId: string;
      ok: boolean;
      message: string;
    }
  /** The EP failed in a way the child cannot recover from; the parent reports not-ready until a probe passes. */
  | { v: typeof PROTOCOL_VERSION; type: 'device-lost'; message: string };

/** Residency with an absolute last-use time; the parent turns it into idle seconds when asked. */
export type ModelResidencySnapshot = Omit<ModelResidency, 'idleSeconds'> & {
  lastUsedAt: number | null;
};

type Body<T> = T extends { v: number } ? Omit<T, 'v'> : never;

export function toWorker(message: Body<ToWorker>): ToWorker {
  return { v: PROTOCOL_VERSION, ...message } as ToWorker;
}

export function fromWorker(message: Body<FromWorker>): FromWorker {
  return { v: PROTOCOL_VERSION, ...message } as FromWorker;
}

export function isCurrentProtocol(
  message: unknown,
): message is { v: typeof PROTOCOL_VERSION; type: string } {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { v?: unknown }).v === PROTOCOL_VERSION
  );
}
