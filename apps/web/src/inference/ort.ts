// The only module that imports onnxruntime-web (lint-enforced): sessions, EPs and tensors
// stay here, behind the shared `ModelRunner`.
import * as ort from 'onnxruntime-web/webgpu';
import type { AbortSignalLike, BrowserEp, ModelId, ModelRunner, TensorData } from '@loupe/shared';
import { LoupeError } from '@loupe/shared';

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

/**
 * A ModelRunner on one EP, holding one session per model. WebGPU sessions are created on
 * ORT's own device; releasing them is the only way to give that memory back.
 */
export class OrtRunner implements ModelRunner {
  private readonly sessions = new Map<ModelId, Promise<ort.InferenceSession>>();

  constructor(
    readonly ep: BrowserEp,
    private readonly loadBytes: LoadModelBytes,
  ) {}

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
    return this.sessions.size;
  }

  async release(): Promise<number> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    const settled = await Promise.allSettled(sessions.map(async (s) => (await s).release()));
    return settled.filter((s) => s.status === 'fulfilled').length;
  }
}
