import { decode, gradientPng, maxAbsDiff, patternPng } from './fixtures/images';
import { expect, test } from './fixtures/test';
import { BatchPanel } from './pages/batch-panel';
import { Documents } from './pages/documents';
import type { UploadFile } from './pages/editor-page';

const INVERT = { op: 'invert', params: {} } as const;
const GRAYSCALE = { op: 'grayscale', params: {} } as const;

const png = async (name: string, buffer: Promise<Buffer>): Promise<UploadFile> => ({
  name,
  mimeType: 'image/png',
  buffer: await buffer,
});

test('a reload brings back each document’s history, where it was, and the batch; Start fresh clears it', async ({
  editor,
  api,
  page,
}) => {
  const a = await png('a.png', patternPng(24, 16));
  const b = await png('b.png', gradientPng(16, 16));
  const docs = new Documents(page);
  const batch = new BatchPanel(page);
  await editor.dropFiles([a, b]);
  await expect(batch.status('a.png')).toHaveText('Open');
  // The server's warm engine: the browser's first run would spend seconds compiling WASM.
  await editor.runOn('Server');
  await editor.chooseOperation('Invert');
  await editor.run(1, 'Invert');
  await editor.chooseOperation('Grayscale');
  await editor.run(2, 'Grayscale');
  await editor.undoButton.click();
  await expect(editor.historyStep(1, 'Invert')).toHaveAttribute('aria-current', 'step');
  await batch.applyToAll(1);
  await expect(batch.status('b.png')).toHaveText('Done');
  await docs.saved();
  const before = await editor.download();

  await page.reload();
  await expect(docs.restored).toContainText('Restored your last session');
  await expect(docs.restored).toContainText('2 documents, 3 steps');
  await expect(docs.tab('a.png')).toHaveAttribute('aria-selected', 'true');
  // Where it was: step 1 shown, step 2 still there to redo, the same pixels as before the reload.
  await expect(editor.historyStep(1, 'Invert')).toHaveAttribute('aria-current', 'step');
  await expect(editor.redoButton).toBeEnabled();
  const after = await editor.download();
  expect(after.name).toBe(before.name);
  expect(maxAbsDiff(after.pixels, before.pixels)).toBe(0);
  // The batch too: b.png's own step and status, and the recipe.
  await expect(batch.status('b.png')).toHaveText('Done');
  await expect(batch.steps('b.png')).toHaveText('1 step');
  await expect(batch.recipe).toHaveText('Recipe: Invert (from a.png)');

  // Step 2's picture came back too (redo makes a.png's two steps the recipe).
  await editor.redoButton.click();
  await expect(batch.recipe).toHaveText('Recipe: Invert → Grayscale (from a.png)');
  const redone = await editor.download();
  const expected = await decode((await api.edit(a.buffer, [INVERT, GRAYSCALE])).bytes);
  expect(maxAbsDiff(redone.pixels, expected)).toBeLessThanOrEqual(1);
  await batch.open('b.png');
  await expect(editor.historyStep(1, 'Invert')).toHaveAttribute('aria-current', 'step');

  await docs.startFresh.click();
  await expect(page.getByRole('heading', { name: 'Drop an image to start' })).toBeVisible();
  await expect(docs.tabs).toHaveCount(0);
  await expect(batch.queue).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Drop an image to start' })).toBeVisible();
  await expect(docs.restored).toHaveCount(0);
});

test('opening a picture over one with steps keeps it as a document to go back to', async ({
  editor,
  page,
}) => {
  const docs = new Documents(page);
  await editor.open(await png('first.png', patternPng(24, 16)), { width: 24, height: 16 });
  await editor.runOn('Server');
  await editor.chooseOperation('Invert');
  await editor.run(1, 'Invert');
  const inverted = await editor.download();

  await editor.open(await png('second.png', gradientPng(16, 16)), { width: 16, height: 16 });
  await expect(editor.notice('first.png is still open')).toBeVisible();
  await expect(docs.tab('second.png')).toHaveAttribute('aria-selected', 'true');
  await expect(editor.history.getByRole('button', { name: /^Step / })).toHaveCount(0);
  // second.png has no steps: a third picture replaces it instead of piling up tabs.
  await editor.open(await png('third.png', gradientPng(20, 12)), { width: 20, height: 12 });
  await expect(docs.tabs.getByRole('tab')).toHaveCount(2);
  await expect(docs.tab('second.png')).toHaveCount(0);

  await docs.show('first.png');
  await expect(editor.historyStep(1, 'Invert')).toHaveAttribute('aria-current', 'step');
  expect(maxAbsDiff((await editor.download()).pixels, inverted.pixels)).toBe(0);

  // Closing a document with steps asks first; keeping it keeps it.
  await docs.closeButton('first.png').click();
  await docs.closeQuestion('first.png').getByRole('button', { name: 'Keep it' }).click();
  await expect(docs.tab('first.png')).toBeVisible();
  await docs.closeButton('first.png').click();
  await docs.closeQuestion('first.png').getByRole('button', { name: 'Close document' }).click();
  await expect(docs.tabs).toHaveCount(0);
  await expect(editor.imageDetails).toContainText('third.png');
});

test('without IndexedDB the editor keeps working in memory and says so once', async ({
  editor,
  page,
}) => {
  await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }));
  await page.reload();
  const docs = new Documents(page);
  const notice = editor.errorNotice('This session is kept in this tab only');
  await expect(notice).toBeVisible();
  await editor.open(await png('photo.png', gradientPng(16, 16)), { width: 16, height: 16 });
  await editor.runOn('Server');
  await editor.chooseOperation('Invert');
  await editor.run(1, 'Invert');
  await expect(docs.saveState).toHaveText("Not saved: this browser's storage is unavailable");
  await expect(notice).toHaveCount(1);
});

test('a session saved by another version is ignored with a notice, and the editor starts empty', async ({
  editor,
  page,
}) => {
  // Written from a page of the same origin that is not the app: the running app saves its own
  // (empty) session on start and when the page is left, and under load that save could land
  // after this record and overwrite it before the reload read it.
  const app = page.url();
  await page.goto(new URL('/health', app).href);
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('loupe', 1);
        open.onupgradeneeded = () => {
          open.result.createObjectStore('session');
          open.result.createObjectStore('blobs');
        };
        open.onsuccess = () => {
          const tx = open.result.transaction('session', 'readwrite');
          tx.objectStore('session').put({ version: 999, documents: 'from the future' }, 'current');
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.goto(app);
  await expect(editor.notice('Your last session could not be restored')).toContainText(
    'another version of Loupe',
  );
  await expect(page.getByRole('heading', { name: 'Drop an image to start' })).toBeVisible();
  await editor.open(await png('photo.png', gradientPng(16, 16)), { width: 16, height: 16 });
  await new Documents(page).saved();
});
