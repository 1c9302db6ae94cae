import type { EditMetadata, RgbaImage, Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { packPicture, unpackPicture } from '../../lib/picture-pack';
import {
  createDocumentStore,
  type NewHistoryEntry,
  type SourceImage,
} from '../../stores/document-store';
import { createDocumentsStore } from '../../stores/documents-store';
import { createUiStore } from '../../stores/ui-store';
import { createWorkspace } from './workspace';

const meta = { placement: 'browser', ep: 'wasm' } as EditMetadata;
const invert: Step = { op: 'invert', params: {} };
/** `w`×2 with every byte distinct and semi-transparent alpha: a lossy round trip would show. */
const picture = (w: number, v: number): RgbaImage => ({
  width: w,
  height: 2,
  data: Uint8Array.from({ length: w * 8 }, (_, i) => (v + i * 7) & 255),
});
const kept = (image: RgbaImage): NewHistoryEntry => ({ step: invert, metadata: meta, image });

async function source(name: string, image: RgbaImage): Promise<SourceImage> {
  // The "file" is a packed picture, and decoding unpacks it: the browser's decoder stands in.
  return { image, name, bytes: 10, format: 'PNG', file: await packPicture(image) };
}

function setup(budgetBytes = 1e9) {
  const document = createDocumentStore({}, { budgetBytes });
  const documents = createDocumentsStore();
  const ui = createUiStore();
  const workspace = createWorkspace({ document, documents, ui, decode: unpackPicture });
  return { document, documents, workspace };
}

describe('workspace: documents in a tab', () => {
  it('keeps a document with steps when another opens over it, and brings it back exactly', async () => {
    const { document, documents, workspace } = setup();
    const a = await workspace.open(await source('a.png', picture(3, 1)), { keepShown: false });
    document.getState().commit(-1, [kept(picture(3, 50))]);
    document.getState().commit(0, [kept(picture(4, 90))]);
    document.getState().undo();
    const b = await workspace.open(await source('b.png', picture(2, 9)), { keepShown: true });

    expect(documents.getState().tabs.map((t) => t.name)).toEqual(['a.png', 'b.png']);
    expect(documents.getState().activeId).toBe(b);
    expect(document.getState().history).toEqual([]);
    expect(documents.getState().parked[a]!.history.map((e) => e.picture?.size ?? 0)).not.toContain(
      0,
    );

    await workspace.switchTo(a);
    const s = document.getState();
    expect(s.source!.name).toBe('a.png');
    expect(s.cursor).toBe(0);
    expect(s.history.map((e) => e.image!.data)).toEqual([picture(3, 50).data, picture(4, 90).data]);
    expect(s.source!.image.data).toEqual(picture(3, 1).data);
    expect(Object.keys(documents.getState().parked)).toEqual([b]);
  });

  it('replaces an untouched picture instead of keeping it', async () => {
    const { documents, workspace } = setup();
    await workspace.open(await source('a.png', picture(3, 1)), { keepShown: false });
    await workspace.open(await source('b.png', picture(3, 2)), { keepShown: false });
    expect(documents.getState().tabs.map((t) => t.name)).toEqual(['b.png']);
  });

  it('edits a parked document in its own history, leaving the shown one alone', async () => {
    const { document, workspace } = setup();
    const a = await workspace.open(await source('a.png', picture(3, 1)), { keepShown: false });
    document.getState().commit(-1, [kept(picture(3, 50))]);
    await workspace.open(await source('b.png', picture(2, 9)), { keepShown: true });
    await workspace.edit(a, async (doc) => doc.getState().commit(0, [kept(picture(3, 60))]));
    expect(workspace.stepsOf(a)).toHaveLength(2);
    expect(document.getState().history).toEqual([]);
    expect(await workspace.shownPicture(a)).toEqual(picture(3, 60));
  });

  it('restores a snapshot elsewhere; new steps there never reuse a restored id', async () => {
    const first = setup();
    await first.workspace.open(await source('a.png', picture(3, 1)), { keepShown: false });
    first.document.getState().commit(-1, [kept(picture(3, 50))]);
    const saved = await first.workspace.snapshot();

    const second = setup();
    await second.workspace.restore(saved);
    const restored = second.document.getState();
    expect(restored.history[0]!.image).toEqual(picture(3, 50));
    second.document.getState().commit(0, [kept(picture(3, 70))]);
    const ids = second.document.getState().history.map((e) => e.id);
    expect(new Set(ids).size).toBe(2);
    expect(ids[1]).toBeGreaterThan(ids[0]!);
  });

  it('unparks only the pictures the history budget keeps; the rest are recomputed when selected', async () => {
    // Room for one 3×2 picture (24 bytes): the shown one.
    const { document, workspace } = setup(24);
    const a = await workspace.open(await source('a.png', picture(3, 1)), { keepShown: false });
    document.getState().commit(-1, [kept(picture(3, 50))]);
    document.getState().commit(0, [kept(picture(3, 60))]);
    await workspace.open(await source('b.png', picture(3, 2)), { keepShown: true });
    await workspace.switchTo(a);
    expect(document.getState().history.map((e) => (e.image ? 'kept' : e.gone))).toEqual([
      'budget',
      'kept',
    ]);
  });

  it("keeps a step's mask and its variations while parked, and gives them back exactly", async () => {
    const { document, workspace } = setup();
    const a = await workspace.open(await source('a.png', picture(3, 1)), { keepShown: false });
    const mask = { width: 3, height: 2, data: Uint8Array.of(0, 255, 128, 0, 7, 255) };
    document.getState().commit(-1, [{ ...kept(picture(3, 50)), mask }]);
    // A count-3 generative step showing the picture of seed 43 (its step's seed).
    const seeds = [picture(3, 60), picture(3, 61), picture(3, 62)];
    const variations = seeds.map((image, k) => ({ seed: 42 + k, image }));
    const generate = { op: 'generate', params: { seed: 43 } } as unknown as Step;
    document
      .getState()
      .commit(0, [{ step: generate, metadata: meta, image: seeds[1]!, variations }]);
    await workspace.open(await source('b.png', picture(2, 9)), { keepShown: true });
    await workspace.switchTo(a);

    const [painted, made] = document.getState().history;
    expect(painted!.mask).toEqual(mask);
    expect(made!.variations!.map((v) => v.seed)).toEqual([42, 43, 44]);
    expect(made!.variations!.map((v) => v.image!.data)).toEqual(seeds.map((p) => p.data));
    expect(made!.variations![1]!.image).toBe(made!.image);
  });

  it("counts a step's other variations against the budget, oldest first, never the shown picture", async () => {
    // Room for one 3×2 picture (24 bytes): the shown one, as the editor's own budget keeps it.
    const { document, workspace } = setup(24);
    const a = await workspace.open(await source('a.png', picture(3, 1)), { keepShown: false });
    document.getState().commit(-1, [kept(picture(3, 50))]);
    const seeds = [picture(3, 60), picture(3, 61)];
    const generate = { op: 'generate', params: { seed: 42 } } as unknown as Step;
    document.getState().commit(0, [
      {
        step: generate,
        metadata: meta,
        image: seeds[0]!,
        variations: seeds.map((image, k) => ({ seed: 42 + k, image })),
      },
    ]);
    await workspace.open(await source('b.png', picture(3, 2)), { keepShown: true });
    await workspace.switchTo(a);
    const [first, made] = document.getState().history;
    expect(first!.image).toBeNull();
    expect(made!.image!.data).toEqual(seeds[0]!.data);
    expect(made!.variations!.map((v) => (v.image ? 'kept' : 'gone'))).toEqual(['kept', 'gone']);
  });

  it('closing the shown document shows its neighbour', async () => {
    const { document, documents, workspace } = setup();
    const a = await workspace.open(await source('a.png', picture(3, 1)), { keepShown: false });
    document.getState().commit(-1, [kept(picture(3, 50))]);
    const b = await workspace.open(await source('b.png', picture(3, 2)), { keepShown: true });
    await workspace.close(b);
    expect(documents.getState().activeId).toBe(a);
    expect(document.getState().history).toHaveLength(1);
    await workspace.close(a);
    expect(document.getState().source).toBeNull();
  });
});
