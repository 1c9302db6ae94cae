// The main-thread face of the inference worker: what the UI imports. Promises in, protocol
// messages under the hood; the worker starts on first use and stops when idle.
import {
  LoupeError,
  PROTOCOL_VERSION,
  WorkerResponseSchema,
  TERMINAL_RESPONSE_TYPES,
  messageTransfer,
  receive,
  type BrowserEp,
  type CachedModel,
  type DownloadProgress,
  type EditMetadata,
  type LocalDeviceInfo,
  type Progress,
  type Mask,
  type RgbaImage,
  type SessionProgress,
  type Step,
  type WorkerAnswer,
  type WorkerDiffusion,
  type WorkerRequest,
  type WorkerRequestType,
  type WorkerResponse,
} from '@loupe/shared';

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface RunOptions extends CallOptions {
  /** EP to try first (default WebGPU); a WebGPU failure reruns on WASM and `metadata.fallback` says so. */
  readonly ep?: BrowserEp;
  readonly onProgress?: (progress: Progress) => void;
  readonly onDownload?: (download: DownloadProgress) => void;
  /** A model's bytes have arrived and its session is being made (seconds for a large model). */
  readonly onPrepare?: (session: SessionProgress) => void;
  /** Names the picture (see `pictureKey`): what the worker kept from runs on it is reused. */
  readonly inputKey?: string;
  /** For ops that take a mask (erase, inpaint): the image's size. Copied, not transferred. */
  readonly mask?: Mask;
  /** The diffusion folder a generative step runs (from GET /api/models, and its files URL). */
  readonly diffusion?: WorkerDiffusion;
  /** Generative runs: a preview every this many denoising steps (default 1; 0 for none). */
  readonly previewEvery?: number;
  /** Generative runs: the picture after `step` of `total` denoising steps, at latent size. */
  readonly onGenerationPreview?: (preview: GenerationPreview) => void;
}

export interface GenerationPreview {
  readonly step: number;
  readonly total: number;
  readonly image: RgbaImage;
}

export interface PreviewOptions extends CallOptions {
  /** EP to try first (default WebGPU), with the run's fallback to WASM. */
  readonly ep?: BrowserEp;
  /** The full-size picture `image` was shrunk from: the preview reads what runs on it kept. */
  readonly inputKey?: string;
}

export interface BrowserEditResult {
  readonly image: RgbaImage;
  /** count > 1: the generative step's other pictures, in seed order after `image`. */
  readonly variations?: readonly RgbaImage[];
  readonly metadata: EditMetadata;
}

export interface BrowserInference {
  probe(options?: CallOptions): Promise<LocalDeviceInfo>;
  /**
   * Transfers `image.data`'s buffer to the worker: pass a copy to keep the original. `image` is
   * null only for a pipeline that makes its picture (`generate`).
   */
  run(
    image: RgbaImage | null,
    steps: readonly Step[],
    options?: RunOptions,
  ): Promise<BrowserEditResult>;
  /**
   * `steps` on a small copy for a live preview: its picture only. Transfers `image.data`'s buffer
   * like `run`. Aborting the signal drops it in the worker (queued or between tiles); the worker
   * lives on, with its sessions and what runs kept.
   */
  preview(image: RgbaImage, steps: readonly Step[], options?: PreviewOptions): Promise<RgbaImage>;
  cachedModels(options?: CallOptions): Promise<CachedModel[]>;
  /** Number of cache entries removed (models and the manifest). */
  clearCache(options?: CallOptions): Promise<number>;
  /** Frees every inference session (GPU memory); cached model files stay. */
  release(options?: CallOptions): Promise<void>;
  /** Stops the worker now; pending calls reject with CANCELLED. A later call starts a new one. */
  dispose(): void;
  /**
   * For a cancelled run: stops the worker at once (mid-tile) when every call in flight has been
   * cancelled, so nothing else is lost; while another caller's call is still in flight (a batch
   * beside the editor) the worker is kept and stops the cancelled run at its next tile instead.
   */
  interrupt(): void;
}

export interface BrowserInferenceOptions {
  /** The worker is terminated after this long with nothing pending; GPU memory goes with it. */
  readonly idleTimeoutMs?: number;
  readonly createWorker?: () => Worker;
}

/**
 * How long each call may go unanswered before it fails with INFERENCE_TIMEOUT, so a stale or
 * stuck worker surfaces as an error instead of a hang. The worker answers between tiles, and
 * one WASM tile of a large model takes seconds. A run has no bound of its own: its length
 * depends on the image, model and device (minutes on WASM), the user watches its progress and
 * cancels it with the signal. `cancel` has no answer.
 */
export const CALL_TIMEOUT_MS = {
  // The first probe requests the WebGPU adapter and its info: seconds on a software adapter.
  probe: 30_000,
  run: null,
  cancel: null,
  'list-cache': 30_000,
  'clear-cache': 30_000,
  // Queued behind the edit in flight (they share the sessions it frees).
  release: 120_000,
  // Queued behind the edit in flight too; the caller drops a stale one with its signal.
  preview: null,
} as const satisfies Record<WorkerRequestType, number | null>;

const defaultWorker = () =>
  new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'loupe-inference' });

/** Transfer only a buffer the image owns whole; a view into a bigger one is copied. */
function transferable(image: RgbaImage): RgbaImage {
  const { data } = image;
  const owned =
    data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
  return { width: image.width, height: image.height, data: owned };
}

interface Pending {
  /** True once its caller has cancelled it. */
  cancelled(): boolean;
  resolve(message: WorkerResponse): void;
  reject(error: LoupeError): void;
  onProgress?: (progress: Progress) => void;
  onDownload?: (download: DownloadProgress) => void;
  onPrepare?: (session: SessionProgress) => void;
  onGenerationPreview?: (preview: GenerationPreview) => void;
}

/**
 * Starts the inference client.
 *
 * @example
 * const inference = createBrowserInference();
 * const { image, metadata } = await inference.run(img, steps, { ep: 'webgpu', signal, onProgress });
 * metadata.ep; // 'webgpu' | 'wasm' — what actually ran; metadata.fallback says why when it differs
 */
export function createBrowserInference({
  idleTimeoutMs = 60_000,
  createWorker = defaultWorker,
}: BrowserInferenceOptions = {}): BrowserInference {
  let worker: Worker | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 0;
  const pending = new Map<string, Pending>();

  const failAll = (error: LoupeError) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const stop = () => {
    worker?.terminate();
    worker = undefined;
    clearTimeout(idleTimer);
  };

  /** Ends the call `id` (if it is still waiting) with an error. */
  const rejectCall = (id: string, error: LoupeError): boolean => {
    const call = pending.get(id);
    if (!call) return false;
    pending.delete(id);
    scheduleIdle();
    call.reject(error);
    return true;
  };

  const onMessage = (event: MessageEvent<unknown>) => {
    const receipt = receive(WorkerResponseSchema, event.data, 'INTERNAL');
    if (!receipt.ok) {
      const error = new LoupeError(
        receipt.error.code,
        `The inference worker sent a message this page cannot use: ${receipt.error.message}`,
      );
      if (error.code === 'INCOMPATIBLE_PROTOCOL') {
        // A worker of another build can answer nothing: tell it why, stop it and fail every call.
        if (receipt.reply) worker?.postMessage(receipt.reply);
        stop();
        return failAll(error);
      }
      if (receipt.id && rejectCall(receipt.id, error)) return;
      console.error(error.message);
      return;
    }
    const message = receipt.message;
    const call = pending.get(message.id);
    if (!call) return; // Answer to a call already cancelled or timed out.
    if (message.type === 'progress') return call.onProgress?.(message.progress);
    if (message.type === 'download') return call.onDownload?.(message.download);
    if (message.type === 'preparing') return call.onPrepare?.(message.session);
    if (message.type === 'generation-preview')
      return call.onGenerationPreview?.({
        step: message.step,
        total: message.total,
        image: message.image,
      });
    if (!TERMINAL_RESPONSE_TYPES[message.type]) return;
    pending.delete(message.id);
    scheduleIdle();
    if (message.type === 'error') call.reject(LoupeError.fromPayload(message.error));
    else call.resolve(message);
  };

  const ensureWorker = (): Worker => {
    clearTimeout(idleTimer);
    if (worker) return worker;
    const w = createWorker();
    w.addEventListener('message', onMessage);
    // A crash (or a failed module load) ends every call; the next call starts a fresh worker.
    w.addEventListener('error', (event) => {
      event.preventDefault();
      stop();
      failAll(
        new LoupeError(
          'WORKER_CRASHED',
          event.message || 'The inference worker failed to start or crashed',
        ),
      );
    });
    return (worker = w);
  };

  function scheduleIdle() {
    clearTimeout(idleTimer);
    if (pending.size === 0 && worker) idleTimer = setTimeout(stop, idleTimeoutMs);
  }

  function call<T extends WorkerRequestType>(
    request: Omit<Extract<WorkerRequest, { type: T }>, 'v' | 'id'>,
    options: CallOptions &
      Pick<Pending, 'onProgress' | 'onDownload' | 'onPrepare' | 'onGenerationPreview'> = {},
  ): Promise<WorkerAnswer<T>> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new LoupeError('CANCELLED'));
    const id = `${++nextId}`;
    const message = { ...request, v: PROTOCOL_VERSION, id } as WorkerRequest;
    return new Promise<WorkerAnswer<T>>((resolve, reject) => {
      const onAbort = () => {
        if (!pending.has(id)) return;
        // The worker stops the run between tiles; we don't wait for it.
        worker?.postMessage({
          v: PROTOCOL_VERSION,
          id: `${++nextId}`,
          type: 'cancel',
          target: id,
        } satisfies WorkerRequest);
        rejectCall(id, new LoupeError('CANCELLED'));
      };
      const timeoutMs: number | null = CALL_TIMEOUT_MS[request.type];
      const timer =
        timeoutMs === null
          ? undefined
          : setTimeout(
              () =>
                rejectCall(
                  id,
                  new LoupeError(
                    'INFERENCE_TIMEOUT',
                    `The inference worker did not answer '${request.type}' within ${timeoutMs / 1000} s`,
                  ),
                ),
              timeoutMs,
            );
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      pending.set(id, {
        cancelled: () => signal?.aborted === true,
        resolve: (m) => (done(), resolve(m as WorkerAnswer<T>)),
        reject: (e) => (done(), reject(e)),
        onProgress: options.onProgress,
        onDownload: options.onDownload,
        onPrepare: options.onPrepare,
        onGenerationPreview: options.onGenerationPreview,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      ensureWorker().postMessage(message, messageTransfer(message));
    });
  }

  return {
    probe: async (options) => (await call<'probe'>({ type: 'probe' }, options)).device,
    async run(image, steps, options = {}) {
      const answer = await call<'run'>(
        {
          type: 'run',
          ...(image ? { image: transferable(image) } : {}),
          steps: [...steps],
          ep: options.ep ?? 'webgpu',
          ...(options.inputKey ? { inputKey: options.inputKey } : {}),
          ...(options.diffusion ? { diffusion: options.diffusion } : {}),
          ...(options.previewEvery !== undefined ? { previewEvery: options.previewEvery } : {}),
          ...(options.mask ? { mask: options.mask } : {}),
        },
        options,
      );
      const { image: picture, variations, metadata } = answer;
      return { image: picture, ...(variations ? { variations } : {}), metadata };
    },
    async preview(image, steps, options = {}) {
      const answer = await call<'preview'>(
        {
          type: 'preview',
          image: transferable(image),
          steps: [...steps],
          ep: options.ep ?? 'webgpu',
          ...(options.inputKey ? { inputKey: options.inputKey } : {}),
        },
        options,
      );
      return answer.image;
    },
    cachedModels: async (options) =>
      (await call<'list-cache'>({ type: 'list-cache' }, options)).models,
    clearCache: async (options) =>
      (await call<'clear-cache'>({ type: 'clear-cache' }, options)).removed,
    release: async (options) => void (await call<'release'>({ type: 'release' }, options)),
    dispose() {
      stop();
      failAll(new LoupeError('CANCELLED', 'The inference worker was stopped'));
    },
    interrupt() {
      if ([...pending.values()].some((p) => !p.cancelled())) return;
      stop();
      failAll(new LoupeError('CANCELLED', 'The inference worker was stopped'));
    },
  };
}
