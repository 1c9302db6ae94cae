import {
  DEFAULT_VAE_SCALING_FACTOR,
  LoupeError,
  SchedulerConfigSchema,
  sha256Hex,
  type DiffusionAssets,
  type DiffusionPart,
  type WorkerDiffusion,
} from '@loupe/shared';
import type { DiffusionPartFiles } from './ort';
import { readTokenizerFiles } from './tokenizer-files';

/** Bump when the cached layout changes. Entries are keyed by sha256: a changed file is a new key. */
export const DIFFUSION_CACHE_NAME = 'loupe-diffusion-v1';

const unusable = (id: string, message: string) =>
  new LoupeError('MODEL_UNAVAILABLE', `${id}: ${message}`);

/**
 * The files of the diffusion folders runs were sent with, fetched from the server's files route
 * (`WorkerDiffusion.filesUrl`), checked against the scan's sha256 and kept in Cache Storage under
 * that hash, so a second visit reads them locally and two folders sharing a file keep one copy.
 * It also reads what the engine needs besides graphs (`DiffusionAssets`), as runtime-node's
 * `readDiffusionAssets` does from disk.
 */
export class DiffusionStore {
  private readonly folders = new Map<string, WorkerDiffusion>();
  private readonly assets = new Map<string, Promise<DiffusionAssets>>();

  constructor(
    private readonly caches: CacheStorage,
    // Wrapped: a bare `fetch` called as a method throws "Illegal invocation".
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** The folder as the latest run described it; its files are read on demand. */
  register(diffusion: WorkerDiffusion): void {
    this.folders.set(diffusion.info.id, diffusion);
  }

  private folder(id: string): WorkerDiffusion {
    const folder = this.folders.get(id);
    if (!folder)
      throw new LoupeError('MODEL_UNAVAILABLE', `The run did not describe diffusion model '${id}'`);
    return folder;
  }

  /** One listed file's bytes: Cache Storage first, else downloaded, verified and cached. */
  async file(id: string, path: string): Promise<Uint8Array> {
    const { info, filesUrl, token } = this.folder(id);
    const entry = info.files.find((f) => f.path === path);
    if (!entry) throw unusable(id, `${path} is not one of the folder's files`);
    const cache = await this.caches.open(DIFFUSION_CACHE_NAME);
    const key = new URL(`/__loupe-diffusion-cache/${entry.sha256}`, filesUrl).href;
    const cached = await cache.match(key);
    if (cached) {
      const bytes = new Uint8Array(await cached.arrayBuffer());
      if (bytes.byteLength === entry.bytes) return bytes;
      await cache.delete(key);
    }
    const url = new URL(path.split('/').map(encodeURIComponent).join('/'), filesUrl).href;
    let response: Response;
    try {
      response = await this.fetchFn(
        url,
        token ? { headers: { authorization: `Bearer ${token}` } } : {},
      );
    } catch (e) {
      throw unusable(
        id,
        `${path} could not be downloaded: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (!response.ok) throw unusable(id, `${path}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const actual = await sha256Hex(bytes);
    if (actual !== entry.sha256)
      throw unusable(
        id,
        `${path} has sha256 ${actual}, the scan listed ${entry.sha256}; rescan the folder`,
      );
    await cache.put(
      key,
      new Response(bytes, {
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(bytes.byteLength),
        },
      }),
    );
    return bytes;
  }

  /** A part's graph and its external data under the names the graph gives them. */
  async part(id: string, part: DiffusionPart): Promise<DiffusionPartFiles> {
    const info = this.folder(id).info;
    const spec = info.parts[part];
    if (!spec) throw unusable(id, `the folder has no ${part}`);
    const dir = spec.file.slice(0, spec.file.lastIndexOf('/') + 1);
    const [graph, ...external] = await Promise.all(
      [spec.file, ...spec.externalData].map((path) => this.file(id, path)),
    );
    return {
      graph: graph!,
      externalData: spec.externalData.map((path, i) => ({
        // ORT web matches the graph's `location`, relative to the graph's own folder.
        path: path.startsWith(dir) ? path.slice(dir.length) : path,
        data: external[i]!,
      })),
      inputs: spec.inputs,
    };
  }

  /** The engine's `diffusionAssets` source: read once per folder version. */
  assetsOf(id: string): Promise<DiffusionAssets> {
    const { info } = this.folder(id);
    const key = `${id}@${info.sha256}`;
    let assets = this.assets.get(key);
    if (!assets) {
      assets = this.readAssets(id);
      assets.catch(() => this.assets.delete(key));
      this.assets.set(key, assets);
    }
    return assets;
  }

  private async json(id: string, path: string): Promise<unknown> {
    const bytes = await this.file(id, path);
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw unusable(id, `${path} could not be read (${(e as Error).message})`);
    }
  }

  private async readAssets(id: string): Promise<DiffusionAssets> {
    const { info } = this.folder(id);
    const has = (path: string) => info.files.some((f) => f.path === path);
    const scheduler = SchedulerConfigSchema.safeParse(
      await this.json(id, 'scheduler/scheduler_config.json'),
    );
    if (!scheduler.success)
      throw unusable(id, `scheduler_config.json: ${scheduler.error.issues[0]?.message}`);
    const tokenizer = await readTokenizerFiles(info, {
      json: (path) => this.json(id, path),
      text: async (path) => new TextDecoder().decode(await this.file(id, path)),
    });
    let vaeScalingFactor = DEFAULT_VAE_SCALING_FACTOR;
    for (const part of ['vae_decoder', 'vae_encoder']) {
      const path = `${part}/config.json`;
      if (!has(path)) continue;
      const factor = ((await this.json(id, path)) as { scaling_factor?: unknown }).scaling_factor;
      if (typeof factor === 'number' && factor > 0 && Number.isFinite(factor)) {
        vaeScalingFactor = factor;
        break;
      }
    }
    return { info, schedulerConfig: scheduler.data, tokenizer, vaeScalingFactor };
  }

  async clear(): Promise<number> {
    const cache = await this.caches.open(DIFFUSION_CACHE_NAME);
    const removed = (await cache.keys()).length;
    await this.caches.delete(DIFFUSION_CACHE_NAME);
    this.assets.clear();
    return removed;
  }
}
