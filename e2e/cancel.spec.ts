import { gradientPng } from './fixtures/images';
import { expect, test } from './fixtures/test';
import type { Worker } from '@playwright/test';
import type { EditorPage } from './pages/editor-page';

/**
 * A 256² picture through ESRGAN, cancelled once its first tile is being computed (not while the
 * model is still loading). On the server's CPU a Medium ×4 tile takes long enough to cancel; in
 * the browser Thick ×4 (14.5 MFLOP per pixel, ~240 GFLOP per 128² tile on WASM) makes the tile
 * in flight long by construction.
 */
async function startHeavyUpscale(
  editor: EditorPage,
  where: 'Browser' | 'Server',
  model: 'Medium' | 'Thick (best detail)',
) {
  await editor.open(
    { name: 'big.png', mimeType: 'image/png', buffer: await gradientPng(256, 256) },
    { width: 256, height: 256 },
  );
  await editor.chooseOperation('Upscale');
  await editor.selectParam('Model', model);
  await editor.selectParam('Scale', '4×');
  await editor.runOn(where);
  await expect(editor.placement).toContainText(`Runs on: ${where}`);
  await editor.startRun();
  // In the browser the 28 MB model downloads and its WASM session builds first (a minute or
  // more on a loaded machine); then the first tile outlasts every wait here, so its count reads 0.
  await expect(editor.page.getByTestId('run-stage')).toContainText(
    where === 'Browser' ? / 0\/\d+ tiles/ : /\d+\/\d+ tiles/,
    { timeout: where === 'Browser' ? 240_000 : 90_000 },
  );
}

async function expectRecovered(editor: EditorPage) {
  await expect(editor.cancelButton).toBeHidden();
  await expect(editor.history.getByRole('button', { name: /^Step 1:/ })).toHaveCount(0);
  await expect(editor.dimensions).toHaveText('256 × 256');
  await expect(editor.undoButton).toBeDisabled();
  // And the next edit runs to the end.
  await editor.chooseOperation('Invert');
  await editor.run(1, 'Invert');
  await expect(editor.dimensions).toHaveText('256 × 256');
}

test.describe('cancelling a running job', () => {
  test('in the browser: Cancel kills the worker mid-tile and the next edit runs on a fresh one', async ({
    editor,
    page,
  }) => {
    test.setTimeout(360_000);
    await startHeavyUpscale(editor, 'Browser', 'Thick (best detail)');
    // The inference worker is the app's own bundle; onnxruntime's WASM threads are workers too.
    const inference = (w: Worker) => /\/assets\/worker-[^/]+\.js$/.test(w.url());
    const [tileWorker, ...others] = page.workers().filter(inference);
    expect(others, 'one inference worker runs the tile').toHaveLength(0);
    const closed = new Promise<void>((resolve) => tileWorker!.once('close', () => resolve()));
    const fresh = page.waitForEvent('worker', { predicate: inference });

    // The notice lasts 5 s and a click on a loaded machine can take as long: watch from before it.
    const noticed = expect(editor.notice('Cancelled')).toContainText('Nothing was changed.');
    await editor.cancelButton.click();
    // The worker computing the tile is gone: its first tile has not finished and never will.
    await Promise.all([closed, noticed]);
    await expectRecovered(editor);
    expect(await editor.stepRanOn(1, 'Invert')).toContain('Browser');
    // The invert ran on a new worker, the only one left: it could not have waited for the tile.
    const next = await fresh;
    expect(page.workers().filter(inference)).toEqual([next]);
  });

  test('on the server: the job is cancelled there too and the editor takes the next edit', async ({
    editor,
    api,
    page,
  }) => {
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/jobs') && r.request().method() === 'POST',
    );
    await startHeavyUpscale(editor, 'Server', 'Medium');
    const { id } = (await (await created).json()) as { id: string };
    expect((await api.job(id)).state).toBe('running');

    const noticed = expect(editor.notice('Cancelled')).toContainText('Nothing was changed.');
    await page.keyboard.press('Escape');
    await noticed;
    await expect
      .poll(async () => (await api.job(id)).state, {
        message: 'the server reports the job cancelled',
      })
      .toBe('cancelled');
    await expect
      .poll(async () => (await api.gpuStatus()).queue.running, {
        message: 'nothing left running on the server',
      })
      .toBe(0);
    await expectRecovered(editor);
    expect(await editor.stepRanOn(1, 'Invert')).toContain('Server');
  });
});
