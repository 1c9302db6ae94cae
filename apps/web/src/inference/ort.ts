// The only module that imports onnxruntime-web (lint-enforced): sessions, EPs and tensors
// stay here, behind the shared `ModelRunner`.
import * as ort from 'onnxruntime-web/webgpu';
import type {
  AbortSignalLike,
  BrowserEp,
  DeviceTensor,
  DeviceTensorRunner,
  DiffusionPart,
  GraphPort,
  ModelId,
  ModelRunner,
  PartTensor,
  TensorData,
  TypedTensor,
} from '@loupe/shared';
import { LoupeError, elementCount, isDeviceTensor, isTypedTensorType } from '@loupe/shared';
import { gpuConcat } from './gpu-concat';
import type { GpuBufferLike, GpuDeviceLike } from './gpu-types';
import { ORT_WASM_BUILDS, type OrtWasmBuild } from './ort-files';

/** Where build/ort-assets.ts serves the wasm files: same origin, never a CDN. */
export const ORT_ASSET_DIR = 'ort/';

export interface OrtSetup {
  /** App base URL (Vite's BASE_URL resolved against the origin). */
  readonly baseUrl: string;
  /** SharedArrayBuffer exists only when cross-origin isolated; threads need it. */
  readonly crossOriginIsolated: boolean;
  readonly cores: number;
}

let assetBase: string | undefined;
let wasmBuild: OrtWasmBuild | undefined;

/** Threads used by the WASM EP (and WebGPU's CPU fallback nodes). */
export function configureOrt({ baseUrl, crossOriginIsolated, cores }: OrtSetup): number {
  assetBase = new URL(ORT_ASSET_DIR, baseUrl).href;
  // Already in a worker: ORT's own proxy worker would only add a copy.
  ort.env.wasm.proxy = false;
  ort.env.wasm.numThreads = crossOriginIsolated ? Math.max(1, Math.min(4, cores)) : 1;
  ort.env.logLevel = 'error';
  return ort.env.wasm.numThreads;
}

/**
 * Picks the WASM module before this worker's first session ('webgpu' where the worker has an
 * adapter, else the faster 'cpu' one: see ort-files.ts). onnxruntime loads one module per
 * thread, so the first choice stays.
 */
export function chooseWasmBuild(build: OrtWasmBuild): void {
  if (wasmBuild) return;
  if (!assetBase) throw new Error('configureOrt() comes before the first session');
  const files = ORT_WASM_BUILDS[build];
  ort.env.wasm.wasmPaths = {
    mjs: new URL(files.mjs, assetBase).href,
    wasm: new URL(files.wasm, assetBase).href,
  };
  wasmBuild = build;
}

export type LoadModelBytes = (model: ModelId) => Promise<Uint8Array>;

/** What a session of one diffusion part is made from (see `diffusion-store.ts`). */
export interface DiffusionPartFiles {
  readonly graph: Uint8Array;
  /** Each external-data file under the name the graph gives it (relative to the graph's folder). */
  readonly externalData: readonly { readonly path: string; readonly data: Uint8Array }[];
  /** The graph's inputs as the scan read them: their symbolic dims get free-dimension overrides. */
  readonly inputs: readonly GraphPort[];
}

export type LoadDiffusionPart = (model: string, part: DiffusionPart) => Promise<DiffusionPartFiles>;

interface PartSession {
  /** The free-dimension overrides it was made with (WebGPU), as JSON; '' on WASM. */
  readonly shape: string;
  readonly session: Promise<ort.InferenceSession>;
}

/**
 * The symbolic dims of a part's inputs (batch, height/8, width/8, sequence 77, whatever the
 * exporter named them) fixed to this run's sizes: WebGPU then plans its buffers and shaders
 * once, as the SD-Turbo web demos do. The same name must mean one size across inputs.
 */
export function freeDimensionOverrides(
  inputs: readonly GraphPort[],
  feeds: Readonly<Record<string, { readonly dims: readonly number[] }>>,
): Record<string, number> {
  const overrides: Record<string, number> = {};
  for (const port of inputs) {
    const dims = feeds[port.name]?.dims;
    if (!dims) continue;
    port.dims.forEach((dim, i) => {
      if (typeof dim === 'string' && dims[i] !== undefined && !(dim in overrides))
        overrides[dim] = dims[i]!;
    });
  }
  return overrides;
}

/** float16 comes back as a Float16Array where the browser has one; the engine takes its bits. */
function typedOutput(name: string, t: ort.Tensor, data: unknown): TypedTensor {
  if (!isTypedTensorType(t.type)) throw new Error(`output ${name} is ${t.type}`);
  if (t.type === 'float16' && !(data instanceof Uint16Array)) {
    const view = data as ArrayBufferView & { length: number };
    data = new Uint16Array(view.buffer, view.byteOffset, view.length);
  }
  return { type: t.type, data, dims: t.dims } as TypedTensor;
}

const BYTES: Record<TypedTensor['type'], number> = { float32: 4, float16: 2, int32: 4, int64: 8 };

/**
 * The tensors a WebGPU runner keeps on the GPU (ORT's own device), behind the engine's opaque
 * handles: the text encoder's hidden states, fed to every UNet call without a read-back.
 */
class GpuTensors implements DeviceTensorRunner {
  readonly location = 'gpu-buffer';

  private readonly live = new Map<DeviceTensor, ort.Tensor>();

  constructor(readonly runPartOnDevice: DeviceTensorRunner['runPartOnDevice']) {}

  /** Handles not yet disposed: 0 after every generation, whatever way it ended. */
  get size(): number {
    return this.live.size;
  }

  keep(t: ort.Tensor, name: string): DeviceTensor {
    if (t.location !== 'gpu-buffer' || !isTypedTensorType(t.type))
      throw new Error(`output ${name} is a ${t.type} tensor on ${t.location}, not a GPU buffer`);
    const handle: DeviceTensor = Object.freeze({ location: 'device', type: t.type, dims: t.dims });
    this.live.set(handle, t);
    return handle;
  }

  tensor(handle: DeviceTensor): ort.Tensor {
    const t = this.live.get(handle);
    if (!t) throw new Error('a GPU tensor was fed after it was disposed');
    return t;
  }

  async concat(parts: readonly DeviceTensor[]): Promise<DeviceTensor> {
    const device = (await ort.env.webgpu.device) as GpuDeviceLike;
    const first = parts[0]!;
    const buffer = gpuConcat(
      device,
      parts.map((p) => ({
        buffer: this.tensor(p).gpuBuffer as GpuBufferLike,
        bytes: elementCount(p.dims) * BYTES[p.type],
      })),
    );
    const dims = [parts.reduce((n, p) => n + p.dims[0]!, 0), ...first.dims.slice(1)];
    const t = ort.Tensor.fromGpuBuffer(buffer as ort.Tensor.GpuBufferType, {
      dataType: first.type,
      dims,
      dispose: () => buffer.destroy(),
    });
    return this.keep(t, 'concat');
  }

  dispose(handle: DeviceTensor): void {
    const t = this.live.get(handle);
    this.live.delete(handle);
    // A lost device has freed it already; there is nothing left to give back.
    try {
      t?.dispose();
    } catch {
      /* ignored */
    }
  }

  disposeAll(): void {
    for (const handle of [...this.live.keys()]) this.dispose(handle);
  }
}

/**
 * A ModelRunner on one EP, holding one session per model. WebGPU sessions are created on
 * ORT's own device; releasing them is the only way to give that memory back.
 */
export class OrtRunner implements ModelRunner {
  private readonly sessions = new Map<ModelId, Promise<ort.InferenceSession>>();

  private readonly parts = new Map<string, PartSession>();

  /** WebGPU only: the GPU-resident tensors generative runs keep (see `TextEmbedding`). */
  readonly device: GpuTensors | undefined;

  constructor(
    readonly ep: BrowserEp,
    private readonly loadBytes: LoadModelBytes,
    private readonly loadPart?: LoadDiffusionPart,
  ) {
    this.device =
      ep === 'webgpu'
        ? new GpuTensors((model, part, feeds, keep, signal) =>
            this.runPartTensors(model, part, feeds, keep, signal),
          )
        : undefined;
  }

  /**
   * One part of a diffusion folder, its session made on first use from the folder's files
   * (external data passed as ORT web's `externalData`). On WebGPU a run at another size makes
   * the part's session again with that size's overrides.
   */
  async runPart(
    model: string,
    part: DiffusionPart,
    feeds: Readonly<Record<string, TypedTensor>>,
    signal?: AbortSignalLike,
  ): Promise<Record<string, TypedTensor>> {
    return this.runPartTensors(model, part, feeds, [], signal) as Promise<
      Record<string, TypedTensor>
    >;
  }

  /** `runPart` with GPU tensors among the feeds, and the outputs in `keep` left on the GPU. */
  private async runPartTensors(
    model: string,
    part: DiffusionPart,
    feeds: Readonly<Record<string, PartTensor>>,
    keep: readonly string[],
    signal?: AbortSignalLike,
  ): Promise<Record<string, PartTensor>> {
    if (signal?.aborted) throw new LoupeError('CANCELLED', 'The edit was cancelled');
    const session = await this.partSession(model, part, feeds);
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds))
      inputs[name] = isDeviceTensor(t)
        ? this.device!.tensor(t)
        : new ort.Tensor(t.type, t.data, t.dims);
    const outputs = await session.run(inputs);
    const result: Record<string, PartTensor> = {};
    for (const [name, t] of Object.entries(outputs))
      result[name] = keep.includes(name)
        ? this.device!.keep(t, `${model}/${part} ${name}`)
        : typedOutput(`${model}/${part} ${name}`, t, await t.getData(true));
    return result;
  }

  private async partSession(
    model: string,
    part: DiffusionPart,
    feeds: Readonly<Record<string, PartTensor>>,
  ): Promise<ort.InferenceSession> {
    const load = this.loadPart;
    if (!load) throw new LoupeError('MODEL_UNAVAILABLE', 'This worker has no diffusion models');
    const key = `${model}/${part}`;
    const files = await load(model, part);
    const overrides = this.ep === 'webgpu' ? freeDimensionOverrides(files.inputs, feeds) : {};
    const shape = this.ep === 'webgpu' ? JSON.stringify(overrides) : '';
    const open = this.parts.get(key);
    if (open?.shape === shape) return open.session;
    if (open) await (await open.session.catch(() => null))?.release();
    const session = ort.InferenceSession.create(files.graph, {
      executionProviders: [this.ep],
      graphOptimizationLevel: 'all',
      externalData: [...files.externalData],
      ...(this.ep === 'webgpu' ? { freeDimensionOverrides: overrides } : {}),
      // The hidden states stay where the UNet reads them (SD-Turbo's pattern); `runPart` still
      // reads them back (getData) for a caller that wants values.
      ...(this.ep === 'webgpu' && part === 'text_encoder'
        ? { preferredOutputLocation: 'gpu-buffer' as const }
        : {}),
    });
    session.catch(() => this.parts.delete(key));
    this.parts.set(key, { shape, session });
    return session;
  }

  /** Creates the session now, so a WebGPU failure at creation surfaces before any tile runs. */
  prepare(model: ModelId): Promise<ort.InferenceSession> {
    let session = this.sessions.get(model);
    if (!session) {
      session = this.loadBytes(model).then((bytes) =>
        ort.InferenceSession.create(bytes, {
          executionProviders: [this.ep],
          graphOptimizationLevel: 'all',
        }),
      );
      // A failed creation must not stick: the next run retries (or falls back).
      session.catch(() => this.sessions.delete(model));
      this.sessions.set(model, session);
    }
    return session;
  }

  async run(
    model: ModelId,
    feeds: Readonly<Record<string, TensorData>>,
    signal?: AbortSignalLike,
  ): Promise<Record<string, TensorData>> {
    if (signal?.aborted) throw new LoupeError('CANCELLED', 'The edit was cancelled');
    const session = await this.prepare(model);
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds))
      inputs[name] = new ort.Tensor('float32', t.data, t.dims);
    const outputs = await session.run(inputs);
    const result: Record<string, TensorData> = {};
    for (const [name, t] of Object.entries(outputs)) {
      if (t.type !== 'float32')
        throw new LoupeError(
          'INFERENCE_FAILED',
          `${model} output ${name} is ${t.type}, expected float32`,
        );
      result[name] = { data: (await t.getData(true)) as Float32Array, dims: t.dims };
    }
    return result;
  }

  get size(): number {
    return this.sessions.size + this.parts.size;
  }

  async release(): Promise<number> {
    this.device?.disposeAll();
    const sessions = [...this.sessions.values(), ...[...this.parts.values()].map((p) => p.session)];
    this.sessions.clear();
    this.parts.clear();
    const settled = await Promise.allSettled(sessions.map(async (s) => (await s).release()));
    return settled.filter((s) => s.status === 'fulfilled').length;
  }
}
