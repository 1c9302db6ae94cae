import type { RgbaImage, Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { packPicture, unpackPicture } from '../../lib/picture-pack';
import { createWorkspace } from '../../services/documents/workspace';
import { createDocumentStore, type NewHistoryEntry } from '../../stores/document-store';
import { createDocumentsStore } from '../../stores/documents-store';
import { createUiStore } from '../../stores/ui-store';
import { createBatchStore } from './batch-store';
import { followRecipe } from './follow-recipe';

const invert: Step = { op: 'invert', params: {} };
const gray: Step = { op: 'grayscale', params: { amount: 100 } };
const image: RgbaImage = { width: 1, height: 1, data: Uint8Array.of(1, 2, 3, 255) };
const entry = (step: Step): NewHistoryEntry => ({ step, metadata: {} as never, image });

async function setup() {
  const document = createDocumentStore({}, { budgetBytes: 1e9 });
  const documents = createDocumentsStore();
  const workspace = createWorkspace({
    document,
    documents,
    ui: createUiStore(),
    decode: unpackPicture,
  });
  const batch = createBatchStore();
  const file = await packPicture(image);
  for (const id of ['a', 'b']) {
    workspace.add({
      id,
      name: id,
      format: 'PNG',
      bytes: 1,
      file,
      sourceSize: image,
      history: [],
      cursor: -1,
    });
    batch.getState().add([{ id, name: id, file, status: 'waiting' }]);
  }
  followRecipe(document, documents, batch);
  await workspace.switchTo('a');
  return { document, workspace, batch };
}

describe('the recipe follows the batch file last edited', () => {
  it('takes the shown file’s steps as they change, and keeps them when a fresh file is opened', async () => {
    const { document, workspace, batch } = await setup();
    document.getState().commit(-1, [entry(invert)]);
    expect(batch.getState()).toMatchObject({ recipe: [invert], recipeFrom: 'a' });
    await workspace.switchTo('b');
    expect(batch.getState()).toMatchObject({ recipe: [invert], recipeFrom: 'a' });
    document.getState().commit(-1, [entry(gray)]);
    expect(batch.getState()).toMatchObject({ recipe: [gray], recipeFrom: 'b' });
    // Undo on the file the recipe came from follows it, down to nothing.
    document.getState().undo();
    expect(batch.getState()).toMatchObject({ recipe: [], recipeFrom: 'b' });
  });

  it('ignores a batch’s own commits and a file that is only shown', async () => {
    const { document, workspace, batch } = await setup();
    document.getState().commit(-1, [entry(invert)]);
    await workspace.switchTo('b');
    batch.getState().setRunning(true);
    document.getState().commit(-1, [entry(gray)]);
    batch.getState().setRunning(false);
    expect(batch.getState().recipe).toEqual([invert]);
    await workspace.switchTo('a');
    expect(batch.getState()).toMatchObject({ recipe: [invert], recipeFrom: 'a' });
  });
});
