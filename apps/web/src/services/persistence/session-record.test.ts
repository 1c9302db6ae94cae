import type { EditMetadata, Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import type { ParkedDocument } from '../../stores/documents-store';
import { picturesToSave, savedBudgetBytes } from './saved-budget';
import {
  fileKey,
  fromRecord,
  pictureKey,
  recordKeys,
  SESSION_VERSION,
  toRecord,
  type SavedSession,
} from './session-record';
import { planSave } from './session-storage';

const MiB = 2 ** 20;
const metadata: EditMetadata = {
  steps: [{ op: 'invert', params: {} }],
  models: [],
  placement: 'browser',
  ep: 'wasm',
  device: 'test',
  timings: { queueMs: 0, decodeMs: 0, inferMs: 1, encodeMs: 0, totalMs: 1 },
  tiles: 1,
  input: { width: 4, height: 4 },
  output: { width: 4, height: 4 },
};
const invert: Step = { op: 'invert', params: {} };
const blur: Step = { op: 'blur', params: { radius: 4 } };
const blob = (bytes: number, fill = 1) => new Blob([new Uint8Array(bytes).fill(fill)]);

/** A document whose file and pictures are `bytes` long each; entry ids from `firstId`. */
function doc(
  id: string,
  firstId: number,
  pictures: number,
  bytes = 100,
  cursor = pictures - 1,
): ParkedDocument {
  return {
    id,
    name: `${id}.png`,
    format: 'PNG',
    bytes,
    file: blob(bytes, 9),
    sourceSize: { width: 4, height: 4 },
    cursor,
    history: Array.from({ length: pictures }, (_, i) => ({
      id: firstId + i,
      step: i % 2 ? blur : invert,
      metadata,
      size: { width: 4, height: 4 },
      picture: blob(bytes, i),
    })),
  };
}

const session = (...documents: ParkedDocument[]): SavedSession => ({
  workspace: { activeId: documents[0]?.id ?? null, documents },
  batch: null,
});

/** toRecord → the stored form (structured clone, as IndexedDB keeps it) → fromRecord. */
function roundTrip(s: SavedSession, keep: Set<number>) {
  const { record, blobs } = toRecord(s, keep, 1234);
  const stored = structuredClone(record);
  expect(recordKeys(stored).sort()).toEqual([...blobs.keys()].sort());
  return fromRecord(stored, blobs);
}

describe('saved session record', () => {
  it('comes back as it was saved, pictures by key, steps parsed by their op’s schema', () => {
    const a = doc('a', 1, 2);
    const back = roundTrip(session(a), new Set([1, 2]));
    if (!back.ok) throw new Error(back.problem);
    const restored = back.session.workspace.documents[0]!;
    expect(restored.history.map((e) => e.step)).toEqual([invert, blur]);
    expect(restored.history.map((e) => e.picture)).toEqual(a.history.map((e) => e.picture));
    expect(restored.file).toBe(a.file);
    expect([restored.cursor, back.savedAt, back.lost]).toEqual([1, 1234, 0]);
  });

  it('leaves out pictures the budget did not keep; they come back as not kept', () => {
    const back = roundTrip(session(doc('a', 1, 3)), new Set([3]));
    if (!back.ok) throw new Error(back.problem);
    expect(back.session.workspace.documents[0]!.history.map((e) => e.gone ?? 'kept')).toEqual([
      'budget',
      'budget',
      'kept',
    ]);
  });

  it("keeps each step's mask, and a kept step's variations (the shown one as its picture)", () => {
    const a = doc('a', 1, 2);
    const mask = blob(12, 255);
    const other = blob(100, 7);
    a.history[0] = { ...a.history[0]!, mask };
    a.history[1] = {
      ...a.history[1]!,
      variations: [
        { seed: 5, picture: a.history[1]!.picture },
        { seed: 6, picture: other },
        { seed: 7, picture: null },
      ],
    };
    const { record } = toRecord(session(a), new Set([2]), 1);
    // The shown variation is stored once, as its step's picture.
    expect(record.documents[0]!.history[1]!.variations).toEqual([
      { seed: 5, picture: pictureKey(2) },
      { seed: 6, picture: 'variation:2:1' },
      { seed: 7, picture: null },
    ]);
    const back = roundTrip(session(a), new Set([2]));
    if (!back.ok) throw new Error(back.problem);
    const [painted, made] = back.session.workspace.documents[0]!.history;
    expect(painted!.mask).toBe(mask);
    expect(made!.variations).toEqual([
      { seed: 5, picture: a.history[1]!.picture },
      { seed: 6, picture: other },
      { seed: 7, picture: null },
    ]);
    // A step whose picture the budget left out keeps its seeds, not its variations' pictures.
    const dropped = roundTrip(session(a), new Set([]));
    if (!dropped.ok) throw new Error(dropped.problem);
    expect(dropped.session.workspace.documents[0]!.history[1]!.variations).toEqual([
      { seed: 5, picture: null },
      { seed: 6, picture: null },
      { seed: 7, picture: null },
    ]);
    expect(dropped.session.workspace.documents[0]!.history[0]!.mask).toBe(mask);
  });

  it('keeps the batch: its files, statuses, reasons and recipe', () => {
    const s: SavedSession = {
      ...session(doc('a', 1, 1)),
      batch: {
        recipe: [invert],
        recipeFrom: 'a',
        items: [
          {
            id: 'a',
            name: 'a.png',
            file: blob(100, 9),
            status: 'waiting',
            recipeBase: -1,
            recipeApplied: [invert],
          },
          {
            id: 'e',
            name: 'e.png',
            file: blob(0),
            status: 'failed',
            error: 'The file is empty: e.png is 0 bytes',
          },
        ],
      },
    };
    const back = roundTrip(s, new Set([1]));
    if (!back.ok) throw new Error(back.problem);
    expect(back.session.batch!.items.map(({ file: _f, ...i }) => i)).toEqual(
      s.batch!.items.map(({ file: _f, ...i }) => i),
    );
    expect(back.session.batch!.recipe).toEqual([invert]);
  });

  it('refuses a record of another version, or one that does not parse, without throwing', () => {
    const { record, blobs } = toRecord(session(doc('a', 1, 1)), new Set([1]), 1);
    expect(fromRecord({ ...record, version: SESSION_VERSION + 1 }, blobs)).toEqual({
      ok: false,
      problem: 'other-version',
    });
    expect(fromRecord(null, blobs)).toEqual({ ok: false, problem: 'other-version' });
    const badStep = structuredClone(record);
    (badStep.documents[0]!.history[0]! as { step: unknown }).step = {
      op: 'blur',
      params: { radius: -5 },
    };
    expect(fromRecord(badStep, blobs)).toEqual({ ok: false, problem: 'damaged' });
    expect(fromRecord({ version: SESSION_VERSION, documents: 'nope' }, blobs)).toEqual({
      ok: false,
      problem: 'damaged',
    });
  });

  it('leaves out a document whose file is missing and counts it; a missing picture is not kept', () => {
    const { record, blobs } = toRecord(session(doc('a', 1, 1), doc('b', 5, 1)), new Set([1, 5]), 1);
    blobs.delete(fileKey('a'));
    blobs.delete(pictureKey(5));
    const back = fromRecord(record, blobs);
    if (!back.ok) throw new Error(back.problem);
    expect(back.lost).toBe(1);
    expect(back.session.workspace.activeId).toBe('b');
    expect(back.session.workspace.documents[0]!.history[0]!.gone).toBe('budget');
  });
});

describe('saved session budget', () => {
  it('is a fifth of the quota, between 64 MiB and 1 GiB, 256 MiB when unknown', () => {
    expect(savedBudgetBytes({ quota: 1000 * MiB })).toBe(200 * MiB);
    expect(savedBudgetBytes({ quota: 100 * MiB })).toBe(64 * MiB);
    expect(savedBudgetBytes({ quota: 100_000 * MiB })).toBe(1024 * MiB);
    expect(savedBudgetBytes(null)).toBe(256 * MiB);
  });

  it('keeps files first, then each shown picture, then the newest others until one does not fit', () => {
    // Files 2 × 100; a shows entry 2 (of 1..3), b shows entry 11 (of 10..11); pictures 100 each.
    const snapshot = session(doc('a', 1, 3, 100, 1), doc('b', 10, 2)).workspace;
    expect([...picturesToSave(snapshot, 400)].sort((x, y) => x - y)).toEqual([2, 11]);
    expect([...picturesToSave(snapshot, 550)].sort((x, y) => x - y)).toEqual([2, 10, 11]);
    expect([...picturesToSave(snapshot, 10_000)].sort((x, y) => x - y)).toEqual([1, 2, 3, 10, 11]);
    // Not even the files fit: they still go (nothing recomputes them), no picture does.
    expect(picturesToSave(snapshot, 150).size).toBe(0);
  });
  it("counts a kept step's other variations with its picture, and every mask with the files", () => {
    const a = doc('a', 1, 2, 100);
    a.history[0] = { ...a.history[0]!, mask: blob(50) };
    a.history[1] = {
      ...a.history[1]!,
      variations: [
        { seed: 1, picture: a.history[1]!.picture },
        { seed: 2, picture: blob(100) },
      ],
    };
    // File 100 + mask 50 + shown step 200 (its picture and one other variation) = 350.
    expect([...picturesToSave({ activeId: 'a', documents: [a] }, 350)]).toEqual([2]);
    // Without room for the shown step and its variation, the older picture still fits.
    expect([...picturesToSave({ activeId: 'a', documents: [a] }, 349)]).toEqual([1]);
    expect([...picturesToSave({ activeId: 'a', documents: [a] }, 450)].sort()).toEqual([1, 2]);
  });
});

describe('planning a save', () => {
  it('writes only new blobs and deletes the ones nothing refers to', () => {
    const first = planSave(session(doc('a', 1, 2)), 10_000, new Set(), 1);
    expect([...first.put.keys()].sort()).toEqual(['file:a', 'picture:1', 'picture:2']);
    expect(first.remove).toEqual([]);
    // Step 2 undone and replaced by step 3: picture 2 goes, picture 3 comes, the rest stays.
    const next = doc('a', 1, 2);
    next.history[1] = { ...next.history[1]!, id: 3 };
    const second = planSave(session(next), 10_000, first.stored, 2);
    expect([...second.put.keys()]).toEqual(['picture:3']);
    expect(second.remove).toEqual(['picture:2']);
  });

  it('deletes the record and every blob when nothing is open', () => {
    const plan = planSave(session(), 10_000, new Set(['file:a', 'picture:1']), 1);
    expect(plan).toMatchObject({ record: null, remove: ['file:a', 'picture:1'] });
    expect(plan.put.size).toBe(0);
  });
});
