import { decode, gradientPng, maxAbsDiff, patternPng } from './fixtures/images';
import { expect, test } from './fixtures/test';
import { BatchPanel } from './pages/batch-panel';
import type { UploadFile } from './pages/editor-page';

const INVERT = { op: 'invert', params: {} } as const;
const GRAYSCALE = { op: 'grayscale', params: {} } as const;

const png = async (name: string, buffer: Promise<Buffer>): Promise<UploadFile> => ({
  name,
  mimeType: 'image/png',
  buffer: await buffer,
});

test('a batch of three keeps each file’s own steps and the recipe, and Download all zips every result', async ({
  editor,
  api,
}) => {
  // Three sizes, so each entry of the zip can be told apart by its decoded size.
  const files = [
    await png('a.png', patternPng(24, 16)),
    await png('b.png', gradientPng(20, 20)),
    await png('c.png', patternPng(16, 24)),
  ];
  const batch = new BatchPanel(editor.page);
  await editor.dropFiles(files);
  await expect(batch.status('a.png')).toHaveText('Open');
  // The server's warm engine: the browser's first run would spend seconds compiling WASM.
  await editor.runOn('Server');
  await editor.chooseOperation('Invert');
  await editor.run(1, 'Invert');

  // Opening another file neither wipes a.png's step nor the recipe.
  await batch.open('b.png');
  await expect(batch.applyButton(1)).toBeEnabled();
  await expect(batch.steps('a.png')).toHaveText('1 step');
  await expect(batch.steps('b.png')).toHaveText('0 steps');
  await batch.open('a.png');
  await expect(editor.historyStep(1, 'Invert')).toBeVisible();

  await batch.applyToAll(1);
  for (const name of ['b.png', 'c.png']) {
    await expect(batch.status(name)).toHaveText('Done');
    await expect(batch.steps(name)).toHaveText('1 step');
  }

  // A step of b.png's own, after the recipe: it becomes the recipe, and a.png keeps its step.
  await batch.open('b.png');
  await expect(editor.historyStep(1, 'Invert')).toBeVisible();
  await editor.chooseOperation('Grayscale');
  await editor.run(2, 'Grayscale');
  await expect(batch.recipe).toHaveText('Recipe: Invert → Grayscale (from b.png)');
  await batch.open('a.png');
  await expect(editor.historyStep(1, 'Invert')).toHaveAttribute('aria-current', 'step');
  await expect(editor.historyStep(2, 'Grayscale')).toHaveCount(0);

  // Applying again adds only the missing step to a.png and c.png: nothing is run twice.
  await batch.applyToAll(2);
  for (const name of ['a.png', 'b.png', 'c.png'])
    await expect(batch.steps(name)).toHaveText('2 steps');
  await expect(editor.historyStep(2, 'Grayscale')).toHaveAttribute('aria-current', 'step');
  await expect(editor.historyStep(3, 'Grayscale')).toHaveCount(0);

  const { name, entries } = await batch.downloadAll();
  expect(name).toBe('batch_invert_grayscale.zip');
  expect(entries.map((e) => e.name)).toEqual([
    'a_invert_grayscale.png',
    'b_invert_grayscale.png',
    'c_invert_grayscale.png',
  ]);
  for (const [i, file] of files.entries()) {
    const pixels = await decode(entries[i]!.data);
    const expected = await decode((await api.edit(file.buffer, [INVERT, GRAYSCALE])).bytes);
    expect([pixels.width, pixels.height]).toEqual([expected.width, expected.height]);
    expect(maxAbsDiff(pixels, expected)).toBeLessThanOrEqual(1);
  }
});

test('a file that cannot be read says why at once, the others still run, and a failed file can be retried', async ({
  editor,
  page,
}) => {
  const batch = new BatchPanel(page);
  await editor.dropFiles([
    await png('a.png', gradientPng(24, 16)),
    { name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) },
    await png('b.png', patternPng(16, 16)),
  ]);
  await expect(batch.status('empty.png')).toHaveText('Failed');
  await expect(batch.error('empty.png')).toContainText('The file is empty: empty.png is 0 bytes');
  await expect(batch.status('b.png')).toHaveText('Waiting');

  await editor.runOn('Server');
  await editor.chooseOperation('Invert');
  await editor.run(1, 'Invert');
  // The next job the browser sends is lost on the way, as on a dropped connection.
  let lost = false;
  await page.route('**/api/jobs', (route) => {
    if (lost || route.request().method() !== 'POST') return route.continue();
    lost = true;
    return route.abort('connectionreset');
  });
  await batch.applyToAll(1);
  await expect(batch.status('b.png')).toHaveText('Failed');
  await expect(batch.error('b.png')).not.toBeEmpty();
  await expect(batch.status('empty.png')).toHaveText('Failed');

  await batch.retryButton('b.png').click();
  await expect(batch.status('b.png')).toHaveText('Done');
  await expect(batch.error('b.png')).toHaveCount(0);
  await expect(batch.steps('b.png')).toHaveText('1 step');
  // An empty file stays empty: its Retry reads it again and says so again.
  await batch.retryButton('empty.png').click();
  await expect(batch.error('empty.png')).toContainText('The file is empty');
});
