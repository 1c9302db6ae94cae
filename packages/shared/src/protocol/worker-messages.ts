import { z } from 'zod';
import { EditMetadataSchema } from '../api/execution';
import { ProgressSchema } from '../api/jobs';
import { ErrorPayloadSchema } from '../api/loupe-error';
import { DiffusionModelInfoSchema } from '../models/diffusion-model';
import { LICENSES, type LicenseId } from '../models/licenses';
import { isModelId, type ModelId } from '../models/model-ids';
import { parsePipeline, type Step, type StepInput } from '../ops/pipeline';
import { LocalDeviceInfoSchema } from '../placement/local-device';
import { envelope } from './envelope';

/**
 * Messages between the web app and its inference worker. Each request carries an `id`;
 * every response names the request it answers, and each request ends in exactly one
 * terminal response (its answer or `error`). Pixel buffers are transferred, not copied.
 * A message of another protocol version is answered with `incompatible` (see envelope.ts).
 */

/** Execution providers the browser has: WebGPU first, WASM as the fallback. */
export const BROWSER_EPS = ['webgpu', 'wasm'] as const;
export type BrowserEp = (typeof BROWSER_EPS)[number];
export const BrowserEpSchema = z.enum(BROWSER_EPS);

/** An RGBA image whose buffer moves between threads; `data.length` must be width·height·4. */
export const RgbaImageMessageSchema = z
  .object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array'),
  })
  .refine((img) => img.data.length === img.width * img.height * 4, {
    message: 'data length must be width × height × 4',
    path: ['data'],
  });

/** A run's mask (see `Mask`): one byte a pixel, the image's size; its buffer is copied, not moved. */
export const MaskMessageSchema = z
  .object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array'),
  })
  .refine((m) => m.data.length === m.width * m.height, {
    message: 'data length must be width × height',
    path: ['data'],
  });

/** Steps validated against each op's schema (defaults filled), as the engine takes them. */
export const StepsSchema = z
  // Typed as StepInput[] for senders; what arrives is checked whole by parsePipeline.
  .custom<StepInput[]>(() => true)
  .transform((raw, ctx): Step[] => {
    const parsed = parsePipeline(raw);
    if (parsed.ok) return parsed.value;
    for (const issue of parsed.issues)
      ctx.addIssue({ code: 'custom', message: `${issue.path}: ${issue.message}` });
    return z.NEVER;
  });

/**
 * Names the full-size picture a request's image is (or was shrunk from), so the worker can reuse
 * what it kept from earlier runs on it (background removal's matte). The page assigns it.
 */
const InputKeySchema = z.string().min(1).max(200);

/**
 * The diffusion folder a generative step runs, sent with the run: the folder as the server's
 * scan describes it (graph signatures, files and their sha256), where its files are served
 * (`GET /api/models/diffusion/:id/files/`, ending in `/`), and the API token when one is set.
 *
 * @example { info, filesUrl: 'https://loupe.example/api/models/diffusion/sd15/files/' }
 */
export const WorkerDiffusionSchema = z.object({
  info: DiffusionModelInfoSchema,
  filesUrl: z.string().url(),
  token: z.string().min(1).optional(),
});
export type WorkerDiffusion = z.infer<typeof WorkerDiffusionSchema>;

const modelIdSchema = z
  .string()
  .refine(isModelId, 'unknown model id')
  .transform((v) => v as ModelId);

export const WorkerRequestSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('probe') }),
  z.object({
    ...envelope,
    type: z.literal('run'),
    /** Absent only for a pipeline that starts by making a picture (`generate`). */
    image: RgbaImageMessageSchema.optional(),
    steps: StepsSchema,
    /** Tried first; WebGPU failures fall back to WASM and the result says so. */
    ep: BrowserEpSchema,
    inputKey: InputKeySchema.optional(),
    /** The folder of the run's generative step (its `model` param names it). */
    diffusion: WorkerDiffusionSchema.optional(),
    /** Generative steps: a `generation-preview` every this many denoising steps (0: none; default 1). */
    previewEvery: z.number().int().nonnegative().optional(),
    /** For ops that take a mask (erase, inpaint): where they may change the picture. */
    mask: MaskMessageSchema.optional(),
  }),
  /** Stops the run `target` between tiles; it then ends with error CANCELLED. */
  z.object({ ...envelope, type: z.literal('cancel'), target: z.string().min(1) }),
  z.object({ ...envelope, type: z.literal('list-cache') }),
  z.object({ ...envelope, type: z.literal('clear-cache') }),
  /** Frees every inference session (GPU memory); models stay in Cache Storage. */
  z.object({ ...envelope, type: z.literal('release') }),
  /**
   * A live preview: `steps` on a screen-sized copy of the picture `inputKey` names, answered
   * with `preview-result`. Nothing is kept from it; it reads what runs on that picture kept.
   * Cancellable like a run.
   */
  z.object({
    ...envelope,
    type: z.literal('preview'),
    image: RgbaImageMessageSchema,
    steps: StepsSchema,
    ep: BrowserEpSchema,
    inputKey: InputKeySchema.optional(),
  }),
]);
export type WorkerRequest = z.input<typeof WorkerRequestSchema>;
export type ParsedWorkerRequest = z.output<typeof WorkerRequestSchema>;
export type WorkerRequestType = WorkerRequest['type'];

const licenseIds = Object.keys(LICENSES) as [LicenseId, ...LicenseId[]];

/** A model file kept in Cache Storage, for the UI's size and license list. */
export const CachedModelSchema = z.object({
  id: modelIdSchema,
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  license: z.enum(licenseIds),
});
export type CachedModel = z.infer<typeof CachedModelSchema>;

/** Bytes of one model arriving; `fromCache` when it came from Cache Storage, not the network. */
export const DownloadProgressSchema = z.object({
  model: modelIdSchema,
  loaded: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  fromCache: z.boolean(),
});
export type DownloadProgress = z.infer<typeof DownloadProgressSchema>;

/** A model's bytes are here and its session is being made: the wait after a download. */
export const SessionProgressSchema = z.object({ model: modelIdSchema, ep: BrowserEpSchema });
export type SessionProgress = z.infer<typeof SessionProgressSchema>;

export const WorkerResponseSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('probe-result'), device: LocalDeviceInfoSchema }),
  z.object({ ...envelope, type: z.literal('download'), download: DownloadProgressSchema }),
  z.object({ ...envelope, type: z.literal('progress'), progress: ProgressSchema }),
  z.object({
    ...envelope,
    type: z.literal('result'),
    image: RgbaImageMessageSchema,
    /**
     * A generative step with count > 1: its other pictures, in seed order after `image`
     * (`metadata.generation.seeds[k + 1]` made `variations[k]`). Absent for one picture.
     */
    variations: z.array(RgbaImageMessageSchema).optional(),
    metadata: EditMetadataSchema,
  }),
  z.object({ ...envelope, type: z.literal('cache-list'), models: z.array(CachedModelSchema) }),
  z.object({
    ...envelope,
    type: z.literal('cache-cleared'),
    removed: z.number().int().nonnegative(),
  }),
  z.object({ ...envelope, type: z.literal('released'), sessions: z.number().int().nonnegative() }),
  z.object({ ...envelope, type: z.literal('error'), error: ErrorPayloadSchema }),
  z.object({ ...envelope, type: z.literal('preparing'), session: SessionProgressSchema }),
  /** The preview's picture, at the size it was sent; `ep` is where it ran. */
  z.object({
    ...envelope,
    type: z.literal('preview-result'),
    image: RgbaImageMessageSchema,
    ep: BrowserEpSchema,
  }),
  /**
   * A generative run's picture after `step` of `total` denoising steps (the engine's
   * `onPreview`: latent size, cheaply decoded); the run goes on.
   */
  z.object({
    ...envelope,
    type: z.literal('generation-preview'),
    step: z.number().int().nonnegative(),
    total: z.number().int().positive(),
    image: RgbaImageMessageSchema,
  }),
]);
export type WorkerResponse = z.infer<typeof WorkerResponseSchema>;
export type WorkerResponseType = WorkerResponse['type'];

/** Responses that end a request; `download`, `preparing` and `progress` may come any number of times before. */
export const TERMINAL_RESPONSE_TYPES = {
  'probe-result': true,
  download: false,
  progress: false,
  result: true,
  'cache-list': true,
  'cache-cleared': true,
  released: true,
  error: true,
  preparing: false,
  'preview-result': true,
  'generation-preview': false,
} as const satisfies Record<WorkerResponseType, boolean>;

/** The terminal response each request expects. `cancel` has none: the run it targets ends with error CANCELLED. */
export type WorkerAnswer<T extends WorkerRequestType> = Extract<
  WorkerResponse,
  {
    type: {
      probe: 'probe-result';
      run: 'result';
      cancel: never;
      'list-cache': 'cache-list';
      'clear-cache': 'cache-cleared';
      release: 'released';
      preview: 'preview-result';
    }[T];
  }
>;

const CARRIES_PIXELS: ReadonlySet<string> = new Set([
  'run',
  'result',
  'preview',
  'preview-result',
  'generation-preview',
]);

type PixelCarrier = { image?: { data: Uint8Array }; variations?: { data: Uint8Array }[] };

/**
 * The transferables of a message: the pixel buffers of a run, a preview or their answers
 * (a result's variations too), nothing else. A buffer is listed once: transferring one twice throws.
 */
export function messageTransfer(message: WorkerRequest | WorkerResponse): ArrayBuffer[] {
  if (!CARRIES_PIXELS.has(message.type)) return [];
  const { image, variations = [] } = message as PixelCarrier;
  const buffers = [image, ...variations].map((picture) => picture?.data.buffer);
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}
