import { decode, flowerPng, type Pixels } from './fixtures/images';
import { changed, count, outside } from './fixtures/mask-pixels';
import { expect, test } from './fixtures/test';
import type { EditorPage } from './pages/editor-page';
import { capsule, MaskBrushPage, type ImagePoint } from './pages/mask-brush';

async function openFlower(editor: EditorPage, side: number): Promise<Pixels> {
  const png = await flowerPng(side);
  await editor.open(
    { name: 'flower.png', mimeType: 'image/png', buffer: png },
    { width: side, height: side },
  );
  await editor.chooseOperation('Erase object');
  return decode(png);
}

/**
 * What the brush covers, with a half-pixel allowance for where the pointer's events land: the
 * overlay must tint all of the inner capsule and nothing beyond the outer one, at this zoom.
 */
async function expectTintedStroke(
  brush: MaskBrushPage,
  size: { width: number; height: number },
  a: ImagePoint,
  b: ImagePoint,
  radius: number,
): Promise<Uint8Array> {
  const tinted = await brush.tinted(size);
  expect(outside(capsule(size, a, b, radius - 0.5), tinted), 'untinted inside the stroke').toBe(0);
  expect(outside(tinted, capsule(size, a, b, radius + 0.5)), 'tinted outside the stroke').toBe(0);
  return tinted;
}

test('a painted mask is sent to the server, erases only under it, and travels through undo and redo', async ({
  editor,
  page,
}) => {
  const SIDE = 64;
  const size = { width: SIDE, height: SIDE };
  const input = await openFlower(editor, SIDE);
  const brush = new MaskBrushPage(page);
  await editor.runOn('Server');
  // Nothing painted: Run waits and says why.
  await expect(editor.runButton).toBeDisabled();
  await expect(editor.controls).toContainText('Paint a mask first');

  // `[` twice: 12 → 10 → 8 px radius (the slider shows the diameter).
  await brush.area.hover();
  await page.keyboard.press('BracketLeft');
  await page.keyboard.press('BracketLeft');
  await expect(brush.panel.getByRole('slider', { name: 'Brush size' })).toHaveValue('8');
  const [a, b] = [
    { x: 18, y: 26 },
    { x: 44, y: 36 },
  ];
  await brush.drag(a, b, SIDE);
  const painted = await expectTintedStroke(brush, size, a, b, 8);
  // A stroke more, taken back by Ctrl+Z (the brush's own undo, not the history's).
  await brush.drag({ x: 8, y: 56 }, { x: 20, y: 56 }, SIDE);
  expect(count(await brush.tinted(size))).toBeGreaterThan(count(painted));
  await page.keyboard.press('Control+z');
  await expect.poll(async () => count(await brush.tinted(size))).toBe(count(painted));
  // Pixel for pixel at 1:1 too, where each picture pixel is one screen pixel.
  await editor.canvas.getByRole('button', { name: 'Actual pixels (1:1)', exact: true }).click();
  await expectTintedStroke(brush, size, a, b, 8);

  const FEATHER = 2;
  await brush.setFeather(FEATHER);
  await editor.run(1, 'Erase object');
  const erased = (await editor.download()).pixels;
  const diff = changed(input, erased);
  // Changed only under the brush, grown by the feather (a box blur reaches ±2 px on each axis).
  expect(outside(diff, capsule(size, a, b, 8.5 + FEATHER * Math.SQRT2))).toBe(0);
  expect(count(diff)).toBeGreaterThan(count(capsule(size, a, b, 7)) / 2);
  // The next step starts with a clean mask on the new picture.
  await expect.poll(async () => count(await brush.tinted(size))).toBe(0);

  // Undo: the original again, with the mask it was erased under; redo: the erased picture.
  await editor.undoButton.click();
  await expect(editor.canvas.getByRole('img', { name: 'Result image' })).toHaveCount(0);
  await expect.poll(async () => count(await brush.tinted(size))).toBeGreaterThan(0);
  expect(outside(capsule(size, a, b, 7.5), await brush.tinted(size))).toBe(0);
  await editor.redoButton.click();
  await expect(editor.historyStep(1, 'Erase object')).toHaveAttribute('aria-current', 'step');
  const again = (await editor.download()).pixels;
  expect(count(changed(erased, again))).toBe(0);
  await editor.undoButton.click();
  await expect.poll(async () => count(await brush.tinted(size))).toBeGreaterThan(0);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('a finger paints the mask, two fingers zoom, and erase runs on it', async ({
    editor,
    page,
  }) => {
    const SIDE = 48;
    const size = { width: SIDE, height: SIDE };
    const input = await openFlower(editor, SIDE);
    const brush = new MaskBrushPage(page);
    // The server: a browser erase loads OpenCV's 10 MB build in a fresh worker (~16 s here), which
    // erase.spec.ts already pays for; the edit session's tests check the brush's mask reaches it.
    await editor.runOn('Server');
    await brush.area.scrollIntoViewIfNeeded();
    const scrolled = await page.evaluate(() => scrollY);
    const [a, b] = [
      { x: 10, y: 20 },
      { x: 36, y: 26 },
    ];
    await brush.touchDrag(a, b, SIDE);
    const painted = await expectTintedStroke(brush, size, a, b, 12);
    // The page did not scroll under the stroke.
    expect(await page.evaluate(() => scrollY)).toBe(scrolled);

    // A pinch zooms the stage and paints nothing.
    const before = (await editor.canvas
      .getByRole('img', { name: 'Original image' })
      .boundingBox())!;
    await brush.pinchOut({ x: 24, y: 24 }, SIDE);
    await expect
      .poll(
        async () =>
          (await editor.canvas.getByRole('img', { name: 'Original image' }).boundingBox())!.width,
      )
      .toBeGreaterThan(before.width * 1.5);
    await editor.canvas.getByRole('button', { name: 'Fit to screen', exact: true }).click();
    expect(count(await brush.tinted(size))).toBe(count(painted));

    await editor.run(1, 'Erase object');
    await expect(editor.historyStep(1, 'Erase object')).toContainText(/Server/i);
    const erased = (await editor.download()).pixels;
    const diff = changed(input, erased);
    expect(outside(diff, capsule(size, a, b, 12.5))).toBe(0);
    expect(count(diff)).toBeGreaterThan(0);
  });
});
