import {
  LoupeError,
  ManifestSchema,
  findManifestEntry,
  verifyModelBytes,
  type CachedModel,
  type DownloadProgress,
  type ManifestEntry,
  type ModelId,
  type ModelManifest,
} from '@loupe/shared';

/** Bump when the cached layout changes; old caches are then ignored and cleared. */
export const MODEL_CACHE_NAME = 'loupe-models-v1';
const MANIFEST_FILE = 'manifest.json';
/** Progress at most every 1% and every 256 KiB (plus the last): smooth bars, few messages. */
const MIN_PROGRESS_STEP_BYTES = 256 * 1024;

export type OnDownload = (progress: DownloadProgress) => void;

/**
 * Model files from `<base>models/`, verified against the manifest's sha256 and kept in Cache
 * Storage under a key that includes the hash, so a rebuilt model never reads a stale copy.
 */
export class ModelStore {
  private manifest: Promise<ModelManifest> | undefined;

  constructor(
    private readonly modelsUrl: string,
    private readonly caches: CacheStorage,
    // Wrapped: a bare `fetch` called as a method throws "Illegal invocation".
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** Network first (a rebuilt manifest wins), the cached copy offline. */
  loadManifest(): Promise<ModelManifest> {
    this.manifest ??= this.fetchManifest().catch((e: unknown) => {
      this.manifest = undefined;
      throw e;
    });
    return this.manifest;
  }

  private async fetchManifest(): Promise<ModelManifest> {
    const url = new URL(MANIFEST_FILE, this.modelsUrl).href;
    const cache = await this.caches.open(MODEL_CACHE_NAME);
    let response: Response | undefined;
    let failure = 'not cached';
    try {
      response = await this.fetchFn(url, { cache: 'no-cache' });
      if (response.ok) await cache.put(url, response.clone());
      else failure = `HTTP ${response.status}`;
    } catch (e) {
      failure = `${e instanceof Error ? e.message : String(e)}, and not cached`;
    }
    if (!response?.ok) response = await cache.match(url);
    if (!response?.ok)
      throw new LoupeError(
        'MODEL_UNAVAILABLE',
        `Model manifest ${url} is unavailable (${failure})`,
      );
    const parsed = ManifestSchema.safeParse(await response.json());
    if (!parsed.success)
      throw new LoupeError(
        'MODEL_UNAVAILABLE',
        `Model manifest ${url} is invalid: ${parsed.error.message}`,
      );
    return parsed.data;
  }

  async entry(id: ModelId): Promise<ManifestEntry> {
    const entry = findManifestEntry(await this.loadManifest(), id);
    if (!entry)
      throw new LoupeError(
        'MODEL_UNAVAILABLE',
        `Model ${id} is not in the manifest; build it with \`pnpm models\``,
      );
    return entry;
  }

  private cacheKey(entry: ManifestEntry): string {
    return new URL(`${entry.file}?sha256=${entry.sha256}`, this.modelsUrl).href;
  }

  /** The model's bytes from the cache, or downloaded with progress, verified, then cached. */
  async load(id: ModelId, onDownload?: OnDownload): Promise<Uint8Array> {
    const entry = await this.entry(id);
    const cache = await this.caches.open(MODEL_CACHE_NAME);
    const key = this.cacheKey(entry);
    const cached = await cache.match(key);
    if (cached) {
      const bytes = new Uint8Array(await cached.arrayBuffer());
      if (bytes.byteLength === entry.bytes) {
        onDownload?.({ model: id, loaded: bytes.byteLength, total: entry.bytes, fromCache: true });
        return bytes;
      }
      await cache.delete(key);
    }
    const bytes = await this.download(entry, onDownload);
    await verifyModelBytes(entry, bytes);
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

  private async download(
    entry: ManifestEntry,
    onDownload?: OnDownload,
  ): Promise<Uint8Array<ArrayBuffer>> {
    const url = new URL(entry.file, this.modelsUrl).href;
    const report = (loaded: number) =>
      onDownload?.({ model: entry.id, loaded, total: entry.bytes, fromCache: false });
    let response: Response;
    try {
      response = await this.fetchFn(url);
    } catch (e) {
      throw new LoupeError(
        'MODEL_UNAVAILABLE',
        `Model ${entry.file} could not be downloaded: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (!response.ok || !response.body)
      throw new LoupeError('MODEL_UNAVAILABLE', `Model ${entry.file}: HTTP ${response.status}`);
    // Sized from the manifest, not Content-Length (absent when compressed).
    let bytes = new Uint8Array(entry.bytes);
    const step = Math.max(MIN_PROGRESS_STEP_BYTES, entry.bytes / 100);
    let loaded = 0;
    let reported = 0;
    report(0);
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.byteLength > bytes.byteLength) {
        const grown = new Uint8Array(Math.max(loaded + value.byteLength, bytes.byteLength * 2));
        grown.set(bytes.subarray(0, loaded));
        bytes = grown;
      }
      bytes.set(value, loaded);
      loaded += value.byteLength;
      if (loaded - reported >= step) report((reported = loaded));
    }
    if (loaded !== reported) report(loaded);
    return loaded === bytes.byteLength ? bytes : bytes.slice(0, loaded);
  }

  /** Models in the cache with their sizes and licenses, in manifest order. */
  async list(): Promise<CachedModel[]> {
    const cache = await this.caches.open(MODEL_CACHE_NAME);
    const keys = new Set((await cache.keys()).map((r) => r.url));
    let manifest: ModelManifest;
    try {
      manifest = await this.loadManifest();
    } catch {
      return [];
    }
    return manifest.models
      .filter((m) => keys.has(this.cacheKey(m)))
      .map((m) => ({ id: m.id, file: m.file, bytes: m.bytes, license: m.license }));
  }

  /** Deletes every cached model and manifest; returns how many entries were removed. */
  async clear(): Promise<number> {
    const cache = await this.caches.open(MODEL_CACHE_NAME);
    const removed = (await cache.keys()).length;
    await this.caches.delete(MODEL_CACHE_NAME);
    this.manifest = undefined;
    return removed;
  }
}
