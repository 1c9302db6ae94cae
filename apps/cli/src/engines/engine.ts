import type { Compression, GenerativeOpId, OutputFormat, Progress, Step } from '@loupe/shared';
import type { RunMode } from '../batch/report';

export interface Encoding {
  format: OutputFormat;
  /** 1–100 for webp and jpeg. */
  quality: number;
  /** Left out: the server's default for the result's size. */
  compression?: Compression;
}

export interface EditCall {
  /** The input file's bytes, or null for a pipeline that starts with `generate`. */
  bytes: Uint8Array | null;
  /** The mask picture's bytes, for a first step that takes one (erase, inpaint). */
  mask?: Uint8Array;
  steps: Step[];
  encoding: Encoding;
  signal: AbortSignal;
  onProgress(progress: Progress): void;
}

/**
 * Where the CLI's work runs: on this machine through runtime-node (`in-process`), or on a Loupe
 * server through its client (`server`). Both take the same validated steps and answer the same
 * encoded bytes; each failure is a `LoupeError` with the code the server would answer.
 */
export interface Engine {
  readonly mode: RunMode;
  /** Settles what the steps leave to the host (a generative step's size, seed and sampler) once for a batch. */
  prepare(steps: Step[]): Promise<Step[]>;
  /** The encoded result. */
  edit(call: EditCall): Promise<Uint8Array>;
  /** The first diffusion model that can run `op`, or a LoupeError saying how to configure one. */
  defaultDiffusionModel(op: GenerativeOpId): Promise<string>;
  close(): Promise<void>;
}
