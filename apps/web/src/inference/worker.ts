// The inference worker: owns onnxruntime-web, the model cache and the GPU sessions.
// Speaks only the shared protocol (WorkerRequest in, WorkerResponse out).
import {
  LoupeError,
  OpenCvInpainter,
  PROTOCOL_VERSION,
  RunRegistry,
  WorkerRequestSchema,
  describeAdapter,
  editMetadata,
  executePipeline,
  messageTransfer,
  pipelineModels,
  receive,
  runFailurePayload,
  runWithFallback,
  toErrorPayload,
  type BrowserEp,
  type DownloadProgress,
  type LocalDeviceInfo,
  type ParsedWorkerRequest,
  type RgbaImage,
  type SessionProgress,
  type WorkerResponse,
} from '@loupe/shared';
import { probeDevice } from './device-probe';
import { DiffusionStore } from './diffusion-store';
import { chooseEp } from './ep-choice';
import type { NavigatorLike } from './gpu-types';
import { InputMemoStore } from './input-memo';
import { ModelStore } from './model-store';
import { OrtRunner, chooseWasmBuild, configureOrt } from './ort';
import { tileSizeForAdapter } from './tile-size';
import { isDeviceLost, webgpuFailureReason } from './worker-errors';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const baseUrl = new URL(import.meta.env.BASE_URL, scope.location.origin).href;
const threads = configureOrt({
  baseUrl,
  crossOriginIsolated: scope.crossOriginIsolated,
  cores: scope.navigator.hardwareConcurrency,
});
const store = new ModelStore(new URL('models/', baseUrl).href, scope.caches);
/** Users' diffusion folders, from the server's files route; runs say which folder is which. */
const diffusion = new DiffusionStore(scope.caches);
const loadPart = (model: string, part: Parameters<DiffusionStore['part']>[1]) =>
  diffusion.part(model, part);

/** Download progress goes to the run being served; runs are serialised, so there is one. */
let downloadListener: ((d: DownloadProgress) => void) | undefined;
const loadBytes = (model: Parameters<ModelStore['load']>[0]) =>
  store.load(model, (d) => downloadListener?.(d));
/** Told when a model's bytes are in and its session is being made (seconds for ISNet). */
let preparingListener: ((session: SessionProgress) => void) | undefined;
const loadFor = (ep: BrowserEp) => async (model: Parameters<ModelStore['load']>[0]) => {
  const bytes = await loadBytes(model);
  preparingListener?.({ model, ep });
  return bytes;
};
const runners: Record<BrowserEp, OrtRunner> = {
  webgpu: new OrtRunner('webgpu', loadFor('webgpu'), loadPart),
  wasm: new OrtRunner('wasm', loadFor('wasm'), loadPart),
};

/**
 * OpenCV's WebAssembly build for erase, the same file the server's child runs (same pixels):
 * a separate chunk, fetched by the first erase. Its bindings compile with `new Function`, which
 * is why the server's CSP for this worker's script allows 'unsafe-eval' (and only for it).
 */
const inpainter = new OpenCvInpainter(() => import('./opencv-module'));

let device: Promise<LocalDeviceInfo> | undefined;
/** Why WebGPU stopped working in this worker (device lost); later runs go straight to WASM. */
let webgpuBroken: string | undefined;
const runs = new RunRegistry(() => new AbortController());
/** Mattes of the pictures runs were given, so another background mode only recomposites. */
const memos = new InputMemoStore();
/** One edit at a time (they share one GPU device and one WASM heap); release waits its turn too. */
let queue: Promise<unknown> = Promise.resolve();
function serially<T>(task: () => Promise<T>): Promise<T> {
  const job = queue.then(task);
  queue = job.catch(() => undefined);
  return job;
}

/** Every run probes first, so the WASM module is chosen before any session is made. */
const probe = () =>
  (device ??= probeDevice(
    scope.navigator as unknown as NavigatorLike,
    scope.crossOriginIsolated,
  ).then((info) => {
    chooseWasmBuild(info.webgpu ? 'webgpu' : 'cpu');
    return info;
  }));

function post(message: WorkerResponse): void {
  scope.postMessage(message, messageTransfer(message));
}

/** A result buffer we may transfer: the whole ArrayBuffer, nothing else in it. */
function ownBuffer(image: RgbaImage): RgbaImage {
  const { data } = image;
  const whole =
    data.byteOffset === 0 &&
    data.byteLength === data.buffer.byteLength &&
    data.buffer instanceof ArrayBuffer;
  return whole ? image : { ...image, data: data.slice() };
}

type RunRequest = Extract<ParsedWorkerRequest, { type: 'run' }>;
type PreviewRequest = Extract<ParsedWorkerRequest, { type: 'preview' }>;

async function runOn(
  ep: BrowserEp,
  req: RunRequest | PreviewRequest,
  info: LocalDeviceInfo,
  signal: AbortSignal,
) {
  const runner = runners[ep];
  // Sessions first: a WebGPU failure at creation falls back before any tile is spent.
  for (const model of pipelineModels(req.steps)) {
    if (signal.aborted) throw new LoupeError('CANCELLED');
    await runner.prepare(model);
  }
  const started = performance.now();
  const generative = req.type === 'run' && req.diffusion ? req : undefined;
  const out = await executePipeline(req.image ?? null, req.steps, {
    runner,
    signal,
    // A preview is one quick tile or two: nobody watches its progress.
    onProgress:
      req.type === 'run'
        ? (progress) => post({ v: PROTOCOL_VERSION, id: req.id, type: 'progress', progress })
        : undefined,
    tileSize:
      ep === 'webgpu' && info.webgpu
        ? tileSizeForAdapter(req.steps, info.webgpu.limits)
        : undefined,
    inputMemo:
      req.type === 'run' ? memos.forRun(req.inputKey, ep) : memos.forPreview(req.inputKey, ep),
    ...(generative
      ? {
          diffusionAssets: (id: string) => diffusion.assetsOf(id),
          ...(generative.previewEvery !== undefined
            ? { previewEvery: generative.previewEvery }
            : {}),
          onPreview: (step: number, total: number, image: RgbaImage) =>
            post({
              v: PROTOCOL_VERSION,
              id: req.id,
              type: 'generation-preview',
              step,
              total,
              image: ownBuffer(image),
            }),
        }
      : {}),
    inpainter,
    ...(req.type === 'run' && req.mask ? { mask: req.mask } : {}),
  });
  return { ...out, inferMs: performance.now() - started };
}

/** After a WebGPU failure the rerun is on WASM; a lost device sends every later run there. */
async function dropWebgpu(reason: string): Promise<void> {
  if (isDeviceLost(reason)) webgpuBroken = `WebGPU failed earlier in this session: ${reason}`;
  await runners.webgpu.release();
}

async function run(req: RunRequest, signal: AbortSignal, queuedAt: number): Promise<void> {
  const startedAt = performance.now();
  if (signal.aborted) throw new LoupeError('CANCELLED');
  const info = await probe();
  if (req.diffusion) diffusion.register(req.diffusion);
  downloadListener = (download) =>
    post({ v: PROTOCOL_VERSION, id: req.id, type: 'download', download });
  preparingListener = (session) =>
    post({ v: PROTOCOL_VERSION, id: req.id, type: 'preparing', session });
  const {
    result: out,
    ep,
    fallback,
  } = await runWithFallback({
    plan: chooseEp(req.ep, info, req.steps, webgpuBroken, req.diffusion?.info.dtype === 'float16'),
    attempt: (ep) => runOn(ep, req, info, signal),
    epFailure: webgpuFailureReason,
    onEpFailure: dropWebgpu,
    signal,
  }).finally(() => (downloadListener = preparingListener = undefined));
  const metadata = editMetadata({
    steps: req.steps,
    placement: 'browser',
    ep,
    fallback,
    device:
      ep === 'webgpu' && info.webgpu
        ? describeAdapter(info.webgpu)
        : `WASM, ${threads} thread${threads === 1 ? '' : 's'}`,
    models: out.models,
    tiles: out.tiles,
    timings: {
      queueMs: startedAt - queuedAt,
      inferMs: out.inferMs,
      totalMs: performance.now() - queuedAt,
    },
    // A pipeline that makes its picture (generate) starts from none.
    input: { width: req.image?.width ?? 0, height: req.image?.height ?? 0 },
    output: { width: out.image.width, height: out.image.height },
    ...(out.generation ? { generation: out.generation } : {}),
  });
  // count > 1: the step's other pictures go with the first (every buffer transferred).
  const variations = (out.images ?? []).slice(1).map(ownBuffer);
  post({
    v: PROTOCOL_VERSION,
    id: req.id,
    type: 'result',
    image: ownBuffer(out.image),
    ...(variations.length ? { variations } : {}),
    metadata,
  });
}

/** A live preview: the run's path on a small copy, its picture only (no metadata, no history). */
async function preview(req: PreviewRequest, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new LoupeError('CANCELLED');
  const info = await probe();
  const { result, ep } = await runWithFallback({
    plan: chooseEp(req.ep, info, req.steps, webgpuBroken),
    attempt: (ep) => runOn(ep, req, info, signal),
    epFailure: webgpuFailureReason,
    onEpFailure: dropWebgpu,
    signal,
  });
  post({
    v: PROTOCOL_VERSION,
    id: req.id,
    type: 'preview-result',
    image: ownBuffer(result.image),
    ep,
  });
}

async function handle(req: ParsedWorkerRequest): Promise<void> {
  const base = { v: PROTOCOL_VERSION, id: req.id } as const;
  switch (req.type) {
    case 'probe':
      return post({ ...base, type: 'probe-result', device: await probe() });
    case 'run': {
      // Registered before it queues: a cancel while it waits its turn stops it too.
      const queuedAt = performance.now();
      return runs.run(req.id, (signal) =>
        serially(() => run(req, signal, queuedAt)).catch((e: unknown) =>
          post({ ...base, type: 'error', error: runFailurePayload(e, signal) }),
        ),
      );
    }
    case 'cancel':
      runs.cancel(req.target);
      return;
    case 'list-cache':
      return post({ ...base, type: 'cache-list', models: await store.list() });
    case 'clear-cache':
      return post({
        ...base,
        type: 'cache-cleared',
        removed: (await store.clear()) + (await diffusion.clear()),
      });
    case 'release': {
      const sessions = await serially(
        async () => (await runners.webgpu.release()) + (await runners.wasm.release()),
      );
      return post({ ...base, type: 'released', sessions });
    }
    case 'preview':
      // Queued with the runs (one GPU device, one WASM heap); a cancel drops it while it waits.
      return runs.run(req.id, (signal) =>
        serially(() => preview(req, signal)).catch((e: unknown) =>
          post({ ...base, type: 'error', error: runFailurePayload(e, signal) }),
        ),
      );
  }
}

scope.onmessage = (event: MessageEvent<unknown>) => {
  const receipt = receive(WorkerRequestSchema, event.data, 'INVALID_REQUEST');
  if (!receipt.ok) {
    // A page of another build is answered `incompatible` (naming both versions) and fails its
    // call at once; one that refused us needs no answer. Any other bad request fails with its issue.
    if (receipt.reply) return scope.postMessage(receipt.reply);
    if (receipt.id && receipt.error.code !== 'INCOMPATIBLE_PROTOCOL')
      post({
        v: PROTOCOL_VERSION,
        id: receipt.id,
        type: 'error',
        error: receipt.error.toPayload(),
      });
    return;
  }
  const req = receipt.message;
  handle(req).catch((e: unknown) =>
    post({
      v: PROTOCOL_VERSION,
      id: req.id,
      type: 'error',
      error: toErrorPayload(e, 'INFERENCE_FAILED'),
    }),
  );
};
