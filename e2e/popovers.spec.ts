import { expect, test } from './fixtures/test';

test.describe('header popovers', () => {
  test('the shortcuts popover draws above the operation cards and closes on Esc or an outside click, focus back on its button', async ({
    editor,
    page,
  }) => {
    const button = page.getByRole('banner').getByRole('button', { name: 'Keyboard shortcuts' });
    const popover = page.getByRole('dialog', { name: 'Keyboard shortcuts' });

    await button.click();
    await expect(popover).toBeVisible();
    // Topmost: whatever the popover covers (the operation cards sit under its lower part), a
    // hit test at several of its points lands inside it.
    const box = (await popover.boundingBox())!;
    for (const [fx, fy] of [
      [0.5, 0.5],
      [0.5, 0.9],
      [0.1, 0.9],
    ] as const) {
      const inside = await page.evaluate(
        ([x, y]) =>
          document
            .elementFromPoint(x, y)
            ?.closest('[role="dialog"][aria-label="Keyboard shortcuts"]') !== null,
        [box.x + box.width * fx, box.y + box.height * fy] as const,
      );
      expect(inside, `the popover is on top at (${fx}, ${fy}) of its box`).toBe(true);
    }

    await page.keyboard.press('Escape');
    await expect(popover).toBeHidden();
    await expect(button).toBeFocused();

    await button.click();
    await expect(popover).toBeVisible();
    await editor.controls.click({ position: { x: 4, y: 4 } });
    await expect(popover).toBeHidden();
    await expect(button).toBeFocused();
  });

  test('the GPU panel takes focus when opened and Esc closes it, focus back on its opener', async ({
    editor,
    page,
  }) => {
    const opener = page.getByRole('banner').getByRole('button', { name: 'GPU status' });
    await opener.click();
    await expect(editor.gpu.root).toBeVisible();
    await expect(editor.gpu.root.locator(':focus')).toHaveCount(1);

    await page.keyboard.press('Escape');
    await expect(editor.gpu.root).toBeHidden();
    await expect(opener).toBeFocused();
  });
});
