import { z } from 'zod';
import {
  ExecutionProviderSchema,
  OutputFormatSchema,
  SERVER_EP_PREFERENCES,
} from '../api/execution';
import { CompressionSchema } from '../api/edit';
import { ResidencyActionSchema } from '../api/gpu';
import { ProgressSchema } from '../api/jobs';
import { GenerationMetadataSchema } from '../api/generation';
import { ErrorPayloadSchema } from '../api/loupe-error';
import { ModelResidencySchema } from '../api/models';
import { isPngTextKeyword } from '../image/png-text';
import { DiffusionModelInfoSchema } from '../models/diffusion-model';
import { envelope } from './envelope';
import { MaskMessageSchema, StepsSchema } from './worker-messages';

/**
 * Messages between the server's HTTP process (the parent) and an inference child, over Node IPC
 * with 'advanced' serialization (typed arrays cross as bytes, not JSON). Same envelope and
 * version as the browser worker's: each parent request has an `id`, everything the child sends
 * names the request it concerns, and each request ends in exactly one answer or `error`.
 *
 * @example
 * parent → { v, id: 'a1', type: 'init', init }      child → { v, id: 'a1', type: 'ready', … }
 * parent → { v, id: 'b2', type: 'run', jobId, … }    child → progress…, then done or error (id 'b2')
 */

const ImageSize = { width: z.number().int().positive(), height: z.number().int().positive() };
const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array');

/**
 * Decoded input on its way to a child: inline RGBA for small images; for large ones a VIPS
 * file the HTTP process decoded into (no 200 MB IPC frames, no decoded copy in the parent).
 * The parent owns the file: it outlives a crashed attempt, for the retry.
 */
export const PixelTransportSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('inline'), ...ImageSize, data: bytes })
    .refine((img) => img.data.length === img.width * img.height * 4, {
      message: 'data length must be width × height × 4',
      path: ['data'],
    }),
  z.object({ kind: z.literal('vips-file'), ...ImageSize, path: z.string().min(1) }),
]);
export type PixelTransport = z.infer<typeof PixelTransportSchema>;

/** The child's encoded result: inline when small, else a file the parent streams and deletes. */
export const EncodedTransportSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('inline'), size: z.number().int().nonnegative(), bytes }),
  z.object({ kind: z.literal('file'), size: z.number().int().nonnegative(), path: z.string() }),
]);
export type EncodedTransport = z.infer<typeof EncodedTransportSchema>;

/** How the child encodes the result; the HTTP process has already resolved the default compression. */
export const OutputEncodingSchema = z.object({
  format: OutputFormatSchema,
  quality: z.number().int().min(1).max(100),
  compression: CompressionSchema,
  /**
   * Text chunks for a PNG result, keyword → text, e.g. `{ parameters: formatSdParameters(…) }`.
   * Written after IHDR on every PNG path; other formats carry no text yet and ignore it.
   */
  text: z
    .record(z.string(), z.string())
    .refine((text) => Object.keys(text).every(isPngTextKeyword), {
      error: 'each key must be a PNG text keyword: 1–79 Latin-1 letters',
    })
    .optional(),
});
export type OutputEncoding = z.infer<typeof OutputEncodingSchema>;

/** What a child needs to serve one device; sent once, in `init`. */
export const WorkerInitSchema = z.object({
  index: z.number().int().nonnegative(),
  ep: z.enum(SERVER_EP_PREFERENCES),
  modelsDir: z.string(),
  idleOffloadSeconds: z.number().nonnegative(),
  tempDir: z.string(),
  inlineMaxBytes: z.number().int().nonnegative(),
  /** LOUPE_OFFLOAD_AFTER_JOB: every model is offloaded right after each job, before its answer. */
  offloadAfterJob: z.boolean().default(false),
});
export type WorkerInit = z.infer<typeof WorkerInitSchema>;

/** The EP a child settled on, and why (each EP passed over is named in `reason`). */
export const EpChoiceSchema = z.object({
  ep: ExecutionProviderSchema,
  reason: z.string(),
  device: z.string(),
});
export type EpChoice = z.infer<typeof EpChoiceSchema>;

/** A finished run. Encoding happens in the child so the HTTP process never holds the decoded result. */
export const JobOutcomeSchema = z.object({
  result: EncodedTransportSchema,
  /**
   * A generative step's other pictures (count > 1: seeds seed + 1, …), encoded like `result`
   * and of its size; absent for one picture.
   */
  more: z.array(EncodedTransportSchema).optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  models: z.array(z.string()),
  tiles: z.number().int().nonnegative(),
  inferMs: z.number().nonnegative(),
  encodeMs: z.number().nonnegative(),
  ep: ExecutionProviderSchema,
  fallback: z.object({ from: ExecutionProviderSchema, reason: z.string() }).optional(),
  /** A generative edit's seeds, sampler and prompts as they ran. */
  generation: GenerationMetadataSchema.optional(),
});
export type JobOutcome = z.infer<typeof JobOutcomeSchema>;

/** Residency with an absolute last-use time; the parent turns it into idle seconds when asked. */
export const ModelResidencySnapshotSchema = ModelResidencySchema.omit({ idleSeconds: true }).extend(
  {
    lastUsedAt: z.number().nullable(),
  },
);
export type ModelResidencySnapshot = z.infer<typeof ModelResidencySnapshotSchema>;

/**
 * A diffusion folder a run needs, as the HTTP process read it: where it is and what its graphs
 * say, so the child builds its runner without scanning (or hashing) the folder again.
 */
export const DiffusionFolderRefSchema = z.object({
  path: z.string().min(1),
  info: DiffusionModelInfoSchema,
});
export type DiffusionFolderRef = z.infer<typeof DiffusionFolderRefSchema>;

/**
 * A denoising preview, encoded by the child (JPEG: a few KB at latent size, where PNG of the
 * same noisy picture is 3–5× larger), so the HTTP process only stores and forwards bytes.
 */
export const PreviewImageSchema = z.object({
  mime: z.enum(['image/jpeg', 'image/png']),
  ...ImageSize,
  bytes,
});
export type PreviewImage = z.infer<typeof PreviewImageSchema>;

export const ToChildSchema = z.discriminatedUnion('type', [
  /** The handshake: answered by `ready` once the child has chosen its EP. */
  z.object({ ...envelope, type: z.literal('init'), init: WorkerInitSchema }),
  z.object({
    ...envelope,
    type: z.literal('run'),
    jobId: z.string().min(1),
    attempt: z.number().int().positive(),
    steps: StepsSchema,
    /** Absent when the first step takes no input image (`inputs.image === 'none'`: generate). */
    image: PixelTransportSchema.optional(),
    output: OutputEncodingSchema,
    /** The diffusion folders the steps name (their `model` param), by folder id. */
    diffusion: z.record(z.string(), DiffusionFolderRefSchema).optional(),
    /** For ops that take a mask (inpaint, erase): the input's size. Added in protocol 2, optional. */
    mask: MaskMessageSchema.optional(),
  }),
  /** Stops the run `target` between tiles; it then ends with error CANCELLED. Has no answer. */
  z.object({ ...envelope, type: z.literal('cancel'), target: z.string().min(1) }),
  z.object({
    ...envelope,
    type: z.literal('residency'),
    action: ResidencyActionSchema,
    models: z.array(z.string()).optional(),
  }),
  /** Runs the known-good probe graph on the device's EP (clears a device error). */
  z.object({ ...envelope, type: z.literal('probe') }),
]);
export type ToChild = z.input<typeof ToChildSchema>;
export type ParsedToChild = z.output<typeof ToChildSchema>;
export type ToChildType = ToChild['type'];

export const FromChildSchema = z.discriminatedUnion('type', [
  z.object({
    ...envelope,
    type: z.literal('ready'),
    choice: EpChoiceSchema,
    onnxruntime: z.string(),
  }),
  z.object({ ...envelope, type: z.literal('progress'), progress: ProgressSchema }),
  /** A report naming the run: the latest denoising preview (step of total), at most every few steps. */
  z.object({
    ...envelope,
    type: z.literal('preview'),
    step: z.number().int().nonnegative(),
    total: z.number().int().positive(),
    image: PreviewImageSchema,
  }),
  z.object({ ...envelope, type: z.literal('done'), outcome: JobOutcomeSchema }),
  z.object({
    ...envelope,
    type: z.literal('residency-done'),
    affected: z.array(z.string()),
    skippedInUse: z.array(z.string()),
  }),
  z.object({ ...envelope, type: z.literal('probe-done'), ok: z.boolean(), message: z.string() }),
  /** Ends any request: a failed run, a refused request, a handshake that could not complete. */
  z.object({ ...envelope, type: z.literal('error'), error: ErrorPayloadSchema }),
  /** A report, not an answer: sent on every change, naming the `init` of this child. */
  z.object({
    ...envelope,
    type: z.literal('residency'),
    models: z.array(ModelResidencySnapshotSchema),
  }),
  /**
   * A report naming the run that met it: the EP failed in a way the child cannot recover from;
   * the parent reports not-ready until a probe passes.
   */
  z.object({ ...envelope, type: z.literal('device-lost'), message: z.string() }),
]);
export type FromChild = z.infer<typeof FromChildSchema>;
export type FromChildType = FromChild['type'];

/** The answer each request expects; `cancel` has none (the run it targets ends with error CANCELLED). */
export const CHILD_ANSWERS = {
  init: 'ready',
  run: 'done',
  cancel: null,
  residency: 'residency-done',
  probe: 'probe-done',
} as const satisfies Record<ToChildType, FromChildType | null>;
export type ChildAnswer<T extends ToChildType> = Extract<
  FromChild,
  { type: (typeof CHILD_ANSWERS)[T] }
>;
