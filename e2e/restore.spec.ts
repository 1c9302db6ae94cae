import { decode, maxAbsDiff } from './fixtures/images';
import { DEBLUR, openForRestore } from './fixtures/restore';
import { expect, test } from './fixtures/test';
import { CompareView } from './pages/compare-view';

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
});
