import type { EditMetadata, RgbaImage, Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { historyEntries, planRestore, planRun } from '../services/plan-run';
import { createDocumentStore, currentSize, type NewHistoryEntry } from './document-store';
import { historyBudgetBytes, pictureBytes } from './history-budget';

const MiB = 2 ** 20;
/** A `side`² picture filled with `v`: 4·side² bytes, told apart by its first byte. */
const picture = (side: number, v: number): RgbaImage => ({
  width: side,
  height: side,
  data: new Uint8Array(side * side * 4).fill(v),
});
const meta = { placement: 'browser', ep: 'wasm' } as EditMetadata;
const invert: Step = { op: 'invert', params: {} };
const upscale: Step = { op: 'upscale', params: { model: 'slim', scale: 2 } };
const kept = (image: RgbaImage): NewHistoryEntry => ({ step: invert, metadata: meta, image });
const source = { image: picture(10, 1), name: 'photo.png', bytes: 100, format: 'PNG' };

/** Pictures each entry still holds, by first byte (null: not kept). */
const held = (s: { history: { image: RgbaImage | null }[] }) =>
  s.history.map((e) => e.image?.data[0] ?? null);

describe('history byte budget', () => {
  it('drops the oldest pictures once the history holds more than its budget', () => {
    // Room for three 10² pictures (400 B each), not four.
    const store = createDocumentStore({}, { budgetBytes: 3 * 400 });
    store.getState().loadSource(source);
    for (const v of [10, 20, 30])
      store.getState().commit(store.getState().cursor, [kept(picture(10, v))]);
    expect(held(store.getState())).toEqual([10, 20, 30]);
    store.getState().commit(2, [kept(picture(10, 40))]);
    const s = store.getState();
    expect(held(s)).toEqual([null, 20, 30, 40]);
    expect(s.history[0]!.gone).toBe('budget');
    // The step, its size and how it ran stay; only the pixels went. The original is untouched.
    expect(s.history[0]!.step).toEqual(invert);
    expect(s.history[0]!.size).toEqual({ width: 10, height: 10 });
    expect(s.source!.image.data[0]).toBe(1);
  });

  it('never drops the shown picture, even when it alone is over the budget', () => {
    const store = createDocumentStore({}, { budgetBytes: 1000 });
    store.getState().loadSource(source);
    store.getState().commit(-1, [kept(picture(10, 10))]);
    store.getState().commit(0, [kept(picture(20, 20))]); // 1600 B
    expect(held(store.getState())).toEqual([null, 20]);
  });

  it('a recomputed picture comes back and pushes the oldest other one out', () => {
    const store = createDocumentStore({}, { budgetBytes: 2 * 400 });
    store.getState().loadSource(source);
    for (const v of [10, 20, 30])
      store.getState().commit(store.getState().cursor, [kept(picture(10, v))]);
    expect(held(store.getState())).toEqual([null, 20, 30]);
    store.getState().goTo(0);
    const plan = planRestore(store.getState(), 0)!;
    expect(plan).toMatchObject({ base: -1, steps: [invert] });
    expect(plan.image).toBe(source.image);
    store.getState().restorePicture(store.getState().history[0]!.id, picture(10, 11));
    const s = store.getState();
    expect(held(s)).toEqual([11, null, 30]);
    expect(s.history[0]!.gone).toBeUndefined();
  });

  it('defaults to an eighth of device memory, within 256 MiB and 2 GiB', () => {
    expect(historyBudgetBytes(8)).toBe(1024 * MiB);
    expect(historyBudgetBytes(null)).toBe(512 * MiB);
    expect(historyBudgetBytes(0.5)).toBe(256 * MiB);
    expect(historyBudgetBytes(32)).toBe(2048 * MiB);
    expect(pictureBytes({ width: 4000, height: 3000 })).toBe(48_000_000);
  });
});

describe('history after a run that returned only its last picture', () => {
  it('keeps every step with its size, the last one with its picture', () => {
    const store = createDocumentStore({}, { budgetBytes: 1e9 });
    store.getState().loadSource(source);
    const steps = [upscale, invert, upscale];
    store
      .getState()
      .commit(-1, historyEntries(steps, source.image, { image: picture(40, 9), metadata: meta }));
    const s = store.getState();
    expect(s.history.map((e) => [e.size.width, e.image ? 'kept' : e.gone])).toEqual([
      [20, 'intermediate'],
      [20, 'intermediate'],
      [40, 'kept'],
    ]);
    expect(s.cursor).toBe(2);
    store.getState().undo();
    expect(currentSize(store.getState())).toEqual({ width: 20, height: 20 });
  });

  it('a next step after a picture that was not kept starts from the nearest kept one', () => {
    const store = createDocumentStore({}, { budgetBytes: 1e9 });
    store.getState().loadSource(source);
    store.getState().commit(-1, [kept(picture(10, 10))]);
    store.getState().commit(
      0,
      historyEntries([upscale, invert], picture(10, 10), {
        image: picture(20, 5),
        metadata: meta,
      }),
    );
    store.getState().goTo(1); // the upscale, not kept
    const plan = planRun(store.getState(), invert)!;
    expect(plan.base).toBe(0);
    expect(plan.image.data[0]).toBe(10);
    expect(plan.steps).toEqual([upscale, invert]);
    // Editing the upscale re-runs it from step 1's picture, with the invert after it.
    store.getState().goTo(2);
    store.getState().editStep(1);
    const edited = planRun(store.getState(), upscale)!;
    expect([edited.base, edited.steps.length]).toEqual([0, 2]);
  });
});
