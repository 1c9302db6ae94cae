import type { Locator } from '@playwright/test';
import { gradientPng } from './fixtures/images';
import { expect, test } from './fixtures/test';
import type { EditorPage } from './pages/editor-page';

async function openGradient(editor: EditorPage) {
  await editor.open(
    { name: 'gradient.png', mimeType: 'image/png', buffer: await gradientPng(24, 16) },
    { width: 24, height: 16 },
  );
}

/** A hit test at the control's centre lands on the control: nothing is drawn over it. */
async function expectUncovered(control: Locator, what: string) {
  await control.scrollIntoViewIfNeeded();
  const box = (await control.boundingBox())!;
  const hit = await control.evaluate(
    (el, [x, y]) => el.contains(document.elementFromPoint(x!, y!)),
    [box.x + box.width / 2, box.y + box.height / 2],
  );
  expect(hit, `${what} is not covered`).toBe(true);
}

test('a toast covers neither Run nor Download', async ({ editor }) => {
  await openGradient(editor);
  // Three error toasts (they stay until dismissed): a stack that reaches well down the screen.
  for (const name of ['a.txt', 'b.txt', 'c.txt'])
    await editor.dropFiles([
      { name, mimeType: 'text/plain', buffer: Buffer.from('not a picture') },
    ]);
  await expect(editor.errorNotice('This file is not a supported image')).toHaveCount(3);
  await expectUncovered(editor.runButton, 'Run');
  await expectUncovered(editor.downloadButton, 'Download');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('every button a finger needs is at least 44 px square', async ({ editor, page }) => {
    expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    await openGradient(editor);
    const banner = page.getByRole('banner');
    const controls = [
      banner.getByRole('button', { name: 'Open image' }),
      banner.getByRole('button', { name: 'GPU status' }),
      banner.getByRole('button', { name: /^Switch to (dark|light) theme$/ }),
      editor.canvas.getByRole('button', { name: 'Zoom in', exact: true }),
      editor.canvas.getByRole('button', { name: 'Fit to screen', exact: true }),
      editor.runButton,
      editor.downloadButton,
    ];
    for (const control of controls) {
      await control.scrollIntoViewIfNeeded();
      const box = (await control.boundingBox())!;
      const name = (await control.getAttribute('aria-label')) ?? (await control.innerText());
      expect(
        Math.min(box.width, box.height),
        `${name}: ${box.width}×${box.height}`,
      ).toBeGreaterThanOrEqual(44);
    }
  });
});
