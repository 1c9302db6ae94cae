import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type Sharp from 'sharp';
import { decode, flowerPng, maxAbsDiff } from './fixtures/images';
import { expect, test } from './fixtures/test';
import { CompareView } from './pages/compare-view';
import type { EditorPage } from './pages/editor-page';

const require = createRequire(resolve(import.meta.dirname, '../apps/server/package.json'));
const sharp = require('sharp') as typeof Sharp;

const [W, H] = [240, 180];
const DEBLUR = [{ op: 'restore', params: { task: 'deblur' } }] as const;
const DERAIN = [{ op: 'restore', params: { task: 'derain' } }] as const;

/** The hibiscus photo, 240×180, smeared by a 7 px horizontal motion blur. */
async function blurredPhoto(): Promise<Buffer> {
  const row = (v: number) => Array<number>(7).fill(v);
  return sharp(await flowerPng(240))
    .extract({ left: 0, top: 30, width: W, height: H })
    .convolve({ width: 7, height: 3, kernel: [...row(0), ...row(1), ...row(0)] })
    .png()
    .toBuffer();
}

/** Opens the blurred photo and picks Restore photo; returns the PNG it opened. */
async function openForRestore(editor: EditorPage): Promise<Buffer> {
  const png = await blurredPhoto();
  await editor.open(
    { name: 'blurred.png', mimeType: 'image/png', buffer: png },
    { width: W, height: H },
  );
  await editor.chooseOperation('Restore photo');
  return png;
}

test.describe('restore (MAXIM deblurring) in the editor', () => {
  // One 256² tile is ~332 GFLOP: seconds on the server's CPU, tens of seconds on WASM.
  test.setTimeout(300_000);

  test('deblurs on the server, saying why with its cost, and compares before and after', async ({
    editor,
    page,
    api,
  }) => {
    const png = await openForRestore(editor);
    await editor.selectParam('Task', 'Deblur (motion and defocus)');
    // SwiftShader is no hardware GPU: Auto sends the 332 GFLOP tile to the server, and says so.
    await expect(editor.placement).toHaveAttribute('data-where', 'server');
    await expect(editor.placement).toContainText('1 tile of 256², 332 GFLOP');
    await expect(editor.placement).toContainText('too heavy for WASM on this device');

    await editor.run(1, 'Restore photo', 240_000);
    expect(await editor.stepRanOn(1, 'Restore photo')).toMatch(/Server/);

    const result = await editor.actualPixels('Result image');
    const original = await editor.actualPixels('Original image');
    expect(maxAbsDiff(original, await decode(png))).toBe(0);
    // The picture changed (sharper edges), and it is exactly what the server's API returns.
    expect(maxAbsDiff(result, original)).toBeGreaterThan(20);
    const witness = await decode((await api.edit(png, DEBLUR)).bytes);
    expect(maxAbsDiff(result, witness)).toBe(0);

    // Before/after: side by side shows both, the split slider moves between them.
    const view = new CompareView(page);
    await view.mode('Side by side');
    await expect(view.originalPane).toBeVisible();
    await expect(view.resultPane).toBeVisible();
    await view.mode('Split');
    await expect(view.splitSlider).toHaveAttribute('aria-valuenow', '50');
  });

  // Parity runs a two-stage graph (deraining: 3.24 MFLOP/px against deblurring's 5.07): the
  // same converter, kernels and tiling, at two thirds of the WASM time this suite pays for.
  test('run in this browser on WASM, it gives the server’s pixels within 1', async ({
    editor,
    api,
  }) => {
    const png = await openForRestore(editor);
    await editor.selectParam('Task', 'Remove rain streaks');
    await editor.runOn('Browser');
    await expect(editor.placement).toHaveAttribute('data-where', 'browser');
    await expect(editor.placement).toContainText('WASM');
    await editor.run(1, 'Restore photo', 280_000);
    expect(await editor.stepRanOn(1, 'Restore photo')).toMatch(/Browser · WASM/);
    const here = await editor.actualPixels('Result image');
    const server = await decode((await api.edit(png, DERAIN)).bytes);
    expect(maxAbsDiff(here, server)).toBeLessThanOrEqual(1);
  });
});
