import { decode, patternPng, solidPng, type Pixels } from './fixtures/images';
import { expect, test } from './fixtures/test';
import { CompareView, rgbAt, type Box } from './pages/compare-view';
import type { EditorPage } from './pages/editor-page';

/** A flat brick-red picture: inverted it turns cyan, so each side of the split is unmistakable on screen. */
const RED: [number, number, number] = [200, 40, 40];
const CYAN: [number, number, number] = [55, 215, 215];
const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 3);

async function openInverted(editor: EditorPage) {
  const png = await solidPng(40, 30, RED);
  await editor.open(
    { name: 'red.png', mimeType: 'image/png', buffer: png },
    { width: 40, height: 30 },
  );
  await editor.chooseOperation('Invert');
  await editor.run(1, 'Invert');
}

test.describe('before/after comparison', () => {
  test('the split slider moves the boundary between original and result on screen', async ({
    editor,
    page,
  }) => {
    await openInverted(editor);
    const view = new CompareView(page);
    await expect(view.splitSlider).toHaveAttribute('aria-valuenow', '50');

    const pane = (await view.splitPane.boundingBox())!;
    const image = (await view.splitPane.getByRole('img', { name: 'Result image' }).boundingBox())!;
    const y = image.y + image.height / 2;
    // Two probes inside the picture, either side of the middle of the pane.
    const left = Math.max(image.x + 4, pane.x + pane.width * 0.3);
    const right = Math.min(image.x + image.width - 4, pane.x + pane.width * 0.7);

    let shot = await view.screenshot(view.splitPane);
    expect(
      near(rgbAt(shot, left, y), RED),
      `left of the split shows the original: ${rgbAt(shot, left, y)}`,
    ).toBe(true);
    expect(
      near(rgbAt(shot, right, y), CYAN),
      `right of the split shows the result: ${rgbAt(shot, right, y)}`,
    ).toBe(true);

    // Drag the handle to 85% of the pane: the right probe now falls on the original's side.
    const handle = (await view.splitSlider.boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(pane.x + pane.width * 0.85, handle.y + handle.height / 2, { steps: 8 });
    await page.mouse.up();
    const after = Number(await view.splitSlider.getAttribute('aria-valuenow'));
    expect(after).toBeGreaterThanOrEqual(84);
    expect(after).toBeLessThanOrEqual(86);
    shot = await view.screenshot(view.splitPane);
    expect(near(rgbAt(shot, right, y), RED), `after dragging right: ${rgbAt(shot, right, y)}`).toBe(
      true,
    );

    // Keyboard: Home puts the whole result in view.
    await view.splitSlider.focus();
    await page.keyboard.press('Home');
    await expect(view.splitSlider).toHaveAttribute('aria-valuenow', '0');
    shot = await view.screenshot(view.splitPane);
    expect(near(rgbAt(shot, left, y), CYAN), `after Home: ${rgbAt(shot, left, y)}`).toBe(true);
  });

  test('side by side, zoom and pan move both views together', async ({ editor, page }) => {
    await openInverted(editor);
    const view = new CompareView(page);
    await view.mode('Side by side');
    await expect(view.originalPane).toBeVisible();
    await expect(view.resultPane).toBeVisible();

    const both = async () => ({
      original: await view.placement(view.originalPane, 'Original image'),
      result: await view.placement(view.resultPane, 'Result image'),
    });
    const expectSame = (a: Box, b: Box) => {
      for (const k of ['x', 'y', 'width', 'height'] as const)
        expect(Math.abs(a[k] - b[k]), k).toBeLessThanOrEqual(0.5);
    };

    const fitted = await both();
    expectSame(fitted.original, fitted.result);
    const fittedZoom = await view.zoomLevel.innerText();

    await view.zoomIn.click();
    await expect(view.zoomLevel).not.toHaveText(fittedZoom);
    const zoomed = await both();
    expectSame(zoomed.original, zoomed.result);
    expect(zoomed.result.width / fitted.result.width).toBeCloseTo(1.25, 1);

    // Wheel over the result pane zooms the original with it.
    const rp = (await view.resultPane.boundingBox())!;
    await page.mouse.move(rp.x + rp.width * 0.3, rp.y + rp.height * 0.4);
    await page.mouse.wheel(0, -300);
    await expect
      .poll(async () => (await view.placement(view.resultPane, 'Result image')).width)
      .toBeGreaterThan(zoomed.result.width * 1.05);
    const wheeled = await both();
    expectSame(wheeled.original, wheeled.result);

    // Dragging the original pans the result by the same amount.
    // Whole-pixel pointer steps, as a mouse at DPR 1 moves (the view snaps to device pixels).
    const op = (await view.originalPane.boundingBox())!;
    const start = { x: Math.round(op.x + op.width / 2), y: Math.round(op.y + op.height / 2) };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + 60, start.y + 40, { steps: 4 });
    await page.mouse.up();
    const panned = await both();
    expectSame(panned.original, panned.result);
    expect(panned.result.x - wheeled.result.x).toBeCloseTo(60, 0);
    expect(panned.result.y - wheeled.result.y).toBeCloseTo(40, 0);
  });

  test('at 1:1 and magnified, every screen pixel is an image pixel, across tile joins', async ({
    editor,
    page,
  }) => {
    // Larger than one 1024² display tile each way, and large enough for a halved level.
    const size = 2100;
    const png = await patternPng(size, size);
    const expected = await decode(png);
    await editor.open(
      { name: 'pattern.png', mimeType: 'image/png', buffer: png },
      { width: size, height: size },
    );
    const view = new CompareView(page);
    const picture = view.originalPane.getByRole('img', { name: 'Original image', exact: true });

    await view.actualSize.click();
    await expect(view.zoomLevel).toHaveText('100%');
    await expect(picture).toHaveAttribute('aria-busy', 'false');
    let shown = await onScreen(view, picture);
    expect(shown.scale).toBe(1);
    expect(shown.joinsInView, 'the tile joins at 1024 are on screen').toBe(true);
    expect(shown.wrong, shown.firstWrong).toBe(0);

    // Magnified (1.25³ = 1.95×), pixels are blocks of one colour, with no seam at the joins.
    for (let i = 0; i < 3; i++) await view.zoomIn.click();
    await expect(view.zoomLevel).toHaveText('195%');
    await expect(picture).toHaveAttribute('aria-busy', 'false');
    shown = await onScreen(view, picture);
    expect(shown.scale).toBeCloseTo(1.953125, 6);
    expect(shown.joinsInView, 'the tile joins at 1024 are on screen').toBe(true);
    expect(shown.wrong, shown.firstWrong).toBe(0);

    /** Compares every screen pixel over the picture with the image pixel under its centre. */
    async function onScreen(compare: CompareView, layer: typeof picture) {
      const shot = await compare.screenshot(compare.originalPane);
      const covered = await compare.overlays(compare.originalPane);
      const box = (await layer.boundingBox())!;
      const scale = box.width / size;
      let wrong = 0;
      let firstWrong = '';
      const seen = { x: new Set<number>(), y: new Set<number>() };
      for (let j = 0; j < shot.pixels.height; j++) {
        for (let i = 0; i < shot.pixels.width; i++) {
          const [px, py] = [shot.box.x + i + 0.5, shot.box.y + j + 0.5];
          if (
            covered.some((c) => px >= c.x && px < c.x + c.width && py >= c.y && py < c.y + c.height)
          )
            continue;
          const fx = (px - box.x) / scale;
          const fy = (py - box.y) / scale;
          // Off the picture, or a pixel centre on a block edge, where either side is right.
          if (fx < 0 || fy < 0 || fx >= size || fy >= size) continue;
          if (Math.abs(fx - Math.round(fx)) < 1e-6 || Math.abs(fy - Math.round(fy)) < 1e-6)
            continue;
          const [x, y] = [Math.floor(fx), Math.floor(fy)];
          seen.x.add(x);
          seen.y.add(y);
          const got = pixelAt(shot.pixels, i, j);
          const want = pixelAt(expected, x, y);
          if (got.some((v, k) => v !== want[k])) {
            wrong++;
            firstWrong ||= `screen ${i},${j} shows ${got} instead of image pixel ${x},${y} ${want}`;
          }
        }
      }
      const joinsInView = [1023, 1024].every((p) => seen.x.has(p) && seen.y.has(p));
      return { scale, wrong, firstWrong, joinsInView };
    }
  });
});

function pixelAt(p: Pixels, x: number, y: number): number[] {
  const i = (y * p.width + x) * 4;
  return Array.from(p.data.subarray(i, i + 3));
}
