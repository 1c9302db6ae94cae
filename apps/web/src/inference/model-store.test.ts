import { LoupeError, sha256Hex, type ModelManifest } from '@loupe/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { ModelStore } from './model-store';

/** Cache Storage as browsers have it, in memory: Node has no Cache API. */
class MemoryCaches {
  readonly stores = new Map<string, Map<string, Response>>();
  async open(name: string) {
    const store = this.stores.get(name) ?? new Map<string, Response>();
    this.stores.set(name, store);
    const key = (k: RequestInfo | URL) =>
      typeof k === 'string' ? k : k instanceof URL ? k.href : k.url;
    return {
      match: async (k: RequestInfo | URL) => store.get(key(k))?.clone(),
      put: async (k: RequestInfo | URL, r: Response) => void store.set(key(k), r),
      keys: async () => [...store.keys()].map((u) => new Request(u)),
    };
  }
  async delete(name: string) {
    return this.stores.delete(name);
  }
}

const BASE = 'https://loupe.test/models/';
const model = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251);
/** Byte-for-byte equality without a 300k-element deep diff. */
const same = (a: Uint8Array, b: Uint8Array) =>
  a.byteLength === b.byteLength && a.every((v, i) => v === b[i]);

async function manifestFor(bytes: Uint8Array): Promise<ModelManifest> {
  return {
    version: 1,
    generatedAt: '2026-11-23T00:00:00.000Z',
    permissiveOnly: true,
    models: [
      {
        id: 'esrgan-slim-x2',
        file: 'esrgan-slim-x2.onnx',
        bytes: bytes.byteLength,
        sha256: await sha256Hex(bytes),
        source: { package: '@upscalerjs/esrgan-slim', version: '1.0.0-beta.19', files: [] },
        license: 'MIT',
        inputs: [],
        outputs: [],
        scale: 2,
        flopsPerInputPixel: 445_088,
      },
    ],
  };
}

/** The network: serves the manifest and the model in 16 KiB chunks, or is offline. */
function network(manifest: ModelManifest, served: Uint8Array) {
  const net = { offline: false, requests: [] as string[] };
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    net.requests.push(url);
    if (net.offline) throw new TypeError('Failed to fetch');
    if (url.endsWith('manifest.json')) return Response.json(manifest);
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= served.byteLength) return controller.close();
        controller.enqueue(served.slice(offset, (offset += 16_384)));
      },
    });
    return new Response(body);
  }) as typeof fetch;
  return { net, fetchFn };
}

describe('ModelStore', () => {
  let caches: MemoryCaches;
  beforeEach(() => {
    caches = new MemoryCaches();
  });

  it('downloads with byte progress, verifies, caches, and serves the second load offline', async () => {
    const { net, fetchFn } = network(await manifestFor(model), model);
    const progress: number[] = [];
    const store = new ModelStore(BASE, caches as unknown as CacheStorage, fetchFn);
    const bytes = await store.load('esrgan-slim-x2', (d) => progress.push(d.loaded));
    expect(same(bytes, model)).toBe(true);
    expect(progress).toEqual([0, 262_144, 300_000]); // every 256 KiB in 16 KiB chunks, then the end
    expect(net.requests.filter((u) => u.endsWith('.onnx'))).toHaveLength(1);

    net.offline = true;
    const again = new ModelStore(BASE, caches as unknown as CacheStorage, fetchFn);
    const seen: boolean[] = [];
    expect(same(await again.load('esrgan-slim-x2', (d) => seen.push(d.fromCache)), model)).toBe(
      true,
    );
    expect(seen).toEqual([true]);
    expect(await again.list()).toEqual([
      { id: 'esrgan-slim-x2', file: 'esrgan-slim-x2.onnx', bytes: 300_000, license: 'MIT' },
    ]);
  });

  it('rejects a corrupted download with MODEL_UNAVAILABLE and caches nothing', async () => {
    const corrupted = Uint8Array.from(model);
    corrupted[1234] = corrupted[1234]! ^ 1;
    const { fetchFn } = network(await manifestFor(model), corrupted);
    const store = new ModelStore(BASE, caches as unknown as CacheStorage, fetchFn);
    const error = await store.load('esrgan-slim-x2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoupeError);
    expect((error as LoupeError).code).toBe('MODEL_UNAVAILABLE');
    expect(await store.list()).toEqual([]);
  });

  it('names a model the manifest lacks and clears everything it cached', async () => {
    const { fetchFn } = network(await manifestFor(model), model);
    const store = new ModelStore(BASE, caches as unknown as CacheStorage, fetchFn);
    await expect(store.load('isnet-fp16')).rejects.toThrow('isnet-fp16 is not in the manifest');
    await store.load('esrgan-slim-x2');
    expect(await store.clear()).toBe(2); // the model and the manifest
    expect(caches.stores.size).toBe(0);
  });
});
