// The only module that imports onnxruntime-web (lint-enforced): sessions, EPs and tensors
// stay here, behind the shared `ModelRunner`.
import * as ort from 'onnxruntime-web/webgpu';
import type {
  AbortSignalLike,
  BrowserEp,
  DiffusionPart,
  GraphPort,
  ModelId,
  ModelRunner,
  TensorData,
  TypedTensor,
} from '@loupe/shared';
import { LoupeError, isTypedTensorType } from '@loupe/shared';

/** Where build/ort-assets.ts serves the wasm files: same origin, never a CDN. */
export const ORT_ASSET_DIR = 'ort/';

export interface OrtSetup {
  /** App base URL (Vite's BASE_URL resolved against the origin). */
  readonly baseUrl: string;
  /** SharedArrayBuffer exists only when cross-origin isolated; threads need it. */
  readonly crossOriginIsolated: boolean;
  readonly cores: number;
}

/** Threads used by the WASM EP (and WebGPU's CPU fallback nodes). */
export function configureOrt({ baseUrl, crossOriginIsolated, cores }: OrtSetup): number {
  ort.env.wasm.wasmPaths = new URL(ORT_ASSET_DIR, baseUrl).href;
  // Already in a worker: ORT's own proxy worker would only add a copy.
  ort.env.wasm.proxy = false;
  ort.env.wasm.numThreads = crossOriginIsolated ? Math.max(1, Math.min(4, cores)) : 1;
  ort.env.logLevel = 'error';
  return ort.env.wasm.numThreads;
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

/**
 * A ModelRunner on one EP, holding one session per model. WebGPU sessions are created on
 * ORT's own device; releasing them is the only way to give that memory back.
 */
export class OrtRunner implements ModelRunner {
  private readonly sessions = new Map<ModelId, Promise<ort.InferenceSession>>();

  private readonly parts = new Map<string, PartSession>();

  constructor(
    readonly ep: BrowserEp,
    private readonly loadBytes: LoadModelBytes,
    private readonly loadPart?: LoadDiffusionPart,
  ) {}

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
    if (signal?.aborted) throw new LoupeError('CANCELLED', 'The edit was cancelled');
    const session = await this.partSession(model, part, feeds);
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds))
      inputs[name] = new ort.Tensor(t.type, t.data, t.dims);
    const outputs = await session.run(inputs);
    const result: Record<string, TypedTensor> = {};
    for (const [name, t] of Object.entries(outputs))
      result[name] = typedOutput(`${model}/${part} ${name}`, t, await t.getData(true));
    return result;
  }

  private async partSession(
    model: string,
    part: DiffusionPart,
    feeds: Readonly<Record<string, TypedTensor>>,
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
    const sessions = [...this.sessions.values(), ...[...this.parts.values()].map((p) => p.session)];
    this.sessions.clear();
    this.parts.clear();
    const settled = await Promise.allSettled(sessions.map(async (s) => (await s).release()));
    return settled.filter((s) => s.status === 'fulfilled').length;
  }
}
