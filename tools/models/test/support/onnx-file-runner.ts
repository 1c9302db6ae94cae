import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  LoupeError,
  findManifestEntry,
  verifyModelBytes,
  type ModelId,
  type ModelManifest,
  type AbortSignalLike,
  type ModelRunner,
  type TensorData,
} from '@loupe/shared';

function throwIfAborted(signal?: AbortSignalLike): void {
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
}

/**
 * A ModelRunner over onnxruntime-node's CPU EP that loads public/models/<id>.onnx, checking each
 * file against the manifest first (as the server and web worker do). For tests and benchmarks.
 */
export class OnnxFileRunner implements ModelRunner {
  private readonly sessions = new Map<ModelId, Promise<ort.InferenceSession>>();

  constructor(
    private readonly modelsDir: string,
    private readonly manifest: ModelManifest,
  ) {}

  async run(model: ModelId, feeds: Readonly<Record<string, TensorData>>, signal?: AbortSignalLike) {
    throwIfAborted(signal);
    const session = await this.session(model);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds))
      ortFeeds[name] = new ort.Tensor('float32', t.data, [...t.dims]);
    const results = await session.run(ortFeeds);
    throwIfAborted(signal);
    const out: Record<string, TensorData> = {};
    for (const [name, t] of Object.entries(results))
      out[name] = { data: t.data as Float32Array, dims: [...t.dims] };
    return out;
  }

  async release(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map(async (s) => (await s).release()));
  }

  private session(model: ModelId): Promise<ort.InferenceSession> {
    let session = this.sessions.get(model);
    if (!session) {
      session = this.load(model);
      this.sessions.set(model, session);
    }
    return session;
  }

  private async load(model: ModelId): Promise<ort.InferenceSession> {
    const entry = findManifestEntry(this.manifest, model);
    if (!entry)
      throw new LoupeError(
        'MODEL_UNAVAILABLE',
        `${model} is not in manifest.json: run \`pnpm models\``,
      );
    const bytes = new Uint8Array(await readFile(join(this.modelsDir, entry.file)));
    await verifyModelBytes(entry, bytes);
    return ort.InferenceSession.create(bytes);
  }
}
