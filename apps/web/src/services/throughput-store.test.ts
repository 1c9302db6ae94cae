import { estimateWork, parsePipeline, type ModelCost, type Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { THROUGHPUT_STORAGE_KEY, createThroughputStore } from './throughput-store';

/** localStorage's two calls over a Map: Node has no Web Storage. */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    items,
  };
}

const MODELS: ModelCost[] = [
  { id: 'anime4k-2x-m-an', bytes: 14_407, flopsPerInputPixel: 5_016 },
  { id: 'filter-color-matrix', bytes: 1_257, flopsPerInputPixel: 21 },
];
const steps = (raw: unknown): Step[] => {
  const r = parsePipeline(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const picture = { width: 600, height: 600 };
// 600² × 5016 FLOP: 1.8 GFLOP.
const anime4k = estimateWork(
  steps([{ op: 'enhance-illustration', params: { size: 'm' } }]),
  picture,
  MODELS,
);

describe('throughput store', () => {
  it('keeps a run as FLOP/s by EP and model, and a reload reads it back', () => {
    const storage = memoryStorage();
    const store = createThroughputStore(storage);
    store.recordCompute('wasm', anime4k, 14);
    const rate = store.snapshot().compute?.wasm?.['anime4k-2x-m-an'];
    expect(rate).toEqual({ perSecond: (360_000 * 5_016) / 14, samples: 1 });
    expect(store.snapshot().compute?.webgpu).toBeUndefined();

    const reloaded = createThroughputStore(storage);
    expect(reloaded.snapshot()).toEqual(store.snapshot());
  });

  it('ignores runs too short to time and runs of several models', () => {
    const store = createThroughputStore(memoryStorage());
    store.recordCompute('wasm', anime4k, 0.05);
    const mixed = estimateWork(
      steps([{ op: 'enhance-illustration' }, { op: 'invert' }]),
      picture,
      MODELS,
    );
    store.recordCompute('wasm', mixed, 20);
    expect(store.snapshot().compute).toEqual({});
  });

  it('times links and codecs only on amounts large enough to say something', () => {
    const store = createThroughputStore(memoryStorage());
    store.recordLink('uplink', 30_000, 0.01);
    expect(store.snapshot().uplink).toBeUndefined();
    store.recordLink('uplink', 2_000_000, 4);
    store.recordLink('pngEncode', 360_000, 2);
    expect(store.snapshot().uplink).toEqual({ perSecond: 500_000, samples: 1 });
    expect(store.snapshot().pngEncode).toEqual({ perSecond: 180_000, samples: 1 });
  });

  it('gives the same snapshot until something is recorded, and tells subscribers when it is', () => {
    const store = createThroughputStore(memoryStorage());
    const before = store.snapshot();
    expect(store.snapshot()).toBe(before);
    let told = 0;
    const off = store.subscribe(() => told++);
    store.recordCompute('webgpu', anime4k, 1);
    expect(store.snapshot()).not.toBe(before);
    expect(told).toBe(1);
    off();
    store.recordCompute('webgpu', anime4k, 1);
    expect(told).toBe(1);
  });

  it('starts from nothing when the stored entry is damaged or of another shape', () => {
    for (const raw of ['{not json', JSON.stringify({ compute: { cuda: {} }, links: {} })]) {
      const store = createThroughputStore(memoryStorage({ [THROUGHPUT_STORAGE_KEY]: raw }));
      expect(store.snapshot()).toEqual({ compute: {} });
    }
  });
});
