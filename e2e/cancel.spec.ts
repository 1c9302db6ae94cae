import { gradientPng } from './fixtures/images';
import { expect, test } from './fixtures/test';
import type { EditorPage } from './pages/editor-page';

/** A 256² picture through ESRGAN: 9 tiles, long enough on WASM or the server's CPU to cancel mid-run. */
async function startHeavyUpscale(
  editor: EditorPage,
  where: 'Browser' | 'Server',
  model: 'Slim (fast)' | 'Medium',
  scale: '2×' | '4×',
) {
  await editor.open(
    { name: 'big.png', mimeType: 'image/png', buffer: await gradientPng(256, 256) },
    { width: 256, height: 256 },
  );
  await editor.chooseOperation('Upscale');
  await editor.selectParam('Model', model);
  await editor.selectParam('Scale', scale);
  await editor.runOn(where);
  await expect(editor.placement).toContainText(`Runs on: ${where}`);
  await editor.startRun();
  // Cancel only once tiles are being computed, not while the model is still loading.
  await expect(editor.page.getByTestId('run-stage')).toContainText(/\d+\/\d+ tiles/, {
    timeout: 60_000,
  });
}

async function expectRecovered(editor: EditorPage) {
  await expect(editor.notice('Cancelled')).toContainText('Nothing was changed.');
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
  test('in the browser: the run stops and the editor takes the next edit', async ({
    editor,
    page,
  }) => {
    await startHeavyUpscale(editor, 'Browser', 'Slim (fast)', '2×');
    const stage = page.getByTestId('run-stage');
    // The suite's first browser run may still be downloading the model and building its session.
    await expect(stage).toContainText(/ 0\/9 tiles/, { timeout: 90_000 });
    const firstTileFrom = Date.now();
    await expect(stage).toContainText(/ 1\/9 tiles/, { timeout: 90_000 });
    const tileMs = Date.now() - firstTileFrom;

    await editor.cancelButton.click();
    const cancelledAt = Date.now();
    await expectRecovered(editor);
    expect(await editor.stepRanOn(1, 'Invert')).toContain('Browser');
    // The worker is one queue: the invert could only finish once the upscale had stopped. Had the
    // cancel been ignored, the 8 tiles left would have kept it busy for ~8 × tileMs.
    expect(Date.now() - cancelledAt, `one tile took ${tileMs} ms`).toBeLessThan(4 * tileMs + 5_000);
  });

  test('on the server: the job is cancelled there too and the editor takes the next edit', async ({
    editor,
    api,
    page,
  }) => {
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/jobs') && r.request().method() === 'POST',
    );
    await startHeavyUpscale(editor, 'Server', 'Medium', '4×');
    const { id } = (await (await created).json()) as { id: string };
    expect((await api.job(id)).state).toBe('running');

    await page.keyboard.press('Escape');
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
