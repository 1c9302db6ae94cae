import type { EditMetadata, GenerationMetadata, RgbaImage, Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { historyEntries, planRestore } from '../services/plan-run';
import { createDocumentStore } from './document-store';

/** A 10² picture filled with `v` (400 B), told apart by its first byte. */
const picture = (v: number): RgbaImage => ({
  width: 10,
  height: 10,
  data: new Uint8Array(400).fill(v),
});
const generation = { seeds: [42, 43, 44], prompt: 'a fox' } as GenerationMetadata;
const meta = { placement: 'server', ep: 'cuda', generation } as EditMetadata;
const generate = {
  op: 'generate',
  params: { model: 'tiny', prompt: 'a fox', seed: 42, count: 3 },
} as unknown as Step;
const invert: Step = { op: 'invert', params: {} };
const source = { image: picture(1), name: 'blank.png', bytes: 100, format: 'PNG' };

/** A store holding one generate step with three variations (bytes 10, 20, 30), shown. */
function withVariations(budgetBytes = 100 * 400) {
  const store = createDocumentStore({}, { budgetBytes });
  store.getState().loadSource(source);
  const result = { image: picture(10), variations: [picture(20), picture(30)], metadata: meta };
  store.getState().commit(-1, historyEntries([generate], source.image, result));
  return store;
}

const seedOf = (step: Step) => (step.params as { seed: number; count: number }).seed;

describe('variations in history', () => {
  it('keeps every picture with its seed and shows the first as a one-picture step', () => {
    const entry = withVariations().getState().history[0]!;
    expect(entry.variations?.map((v) => [v.seed, v.image?.data[0]])).toEqual([
      [42, 10],
      [43, 20],
      [44, 30],
    ]);
    expect(entry.image?.data[0]).toBe(10);
    expect(entry.step.params).toMatchObject({ seed: 42, count: 1 });
    expect(entry.metadata.generation?.seeds).toEqual([42]);
  });

  it('picking one makes it the picture, the step and the metadata, and drops what followed', () => {
    const store = withVariations();
    store.getState().commit(0, [{ step: invert, metadata: meta, image: picture(99) }]);
    store.getState().pickVariation(0, 1);
    const s = store.getState();
    expect(s.history).toHaveLength(1);
    expect(s.cursor).toBe(0);
    expect(s.history[0]!.image?.data[0]).toBe(20);
    expect(seedOf(s.history[0]!.step)).toBe(43);
    expect(s.history[0]!.metadata.generation?.seeds).toEqual([43]);
    // The others stay pickable: back to the first.
    store.getState().pickVariation(0, 0);
    expect(store.getState().history[0]!.image?.data[0]).toBe(10);
  });

  it('a picture the budget let go is recomputed from its own seed alone', () => {
    const store = withVariations();
    store.getState().pickVariation(0, 2);
    const doc = { ...store.getState() };
    doc.history = [{ ...doc.history[0]!, image: null, gone: 'budget' }];
    const plan = planRestore(doc, 0);
    expect(plan?.steps).toEqual([
      { ...generate, params: { ...generate.params, seed: 44, count: 1 } },
    ]);
  });

  it("counts a step's other variations in the budget and lets them go before any shown picture", () => {
    // Room for four 400 B pictures: three variations and one more step fit; a fifth picture
    // pushes out the oldest other variation, not the step's shown picture.
    const store = withVariations(4 * 400);
    expect(store.getState().history[0]!.variations?.map((v) => v.image?.data[0])).toEqual([
      10, 20, 30,
    ]);
    store.getState().commit(0, [{ step: invert, metadata: meta, image: picture(50) }]);
    store.getState().commit(1, [{ step: invert, metadata: meta, image: picture(60) }]);
    const [first] = store.getState().history;
    expect(first!.variations?.map((v) => v.image?.data[0] ?? null)).toEqual([10, null, 30]);
    expect(first!.image?.data[0]).toBe(10);
    // A variation not kept cannot be picked; nothing changes.
    store.getState().pickVariation(0, 1);
    expect(store.getState().history).toHaveLength(3);
  });
});
