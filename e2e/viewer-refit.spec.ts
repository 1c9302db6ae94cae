import type { Locator } from '@playwright/test';
import { solidPng } from './fixtures/images';
import { expect, test } from './fixtures/test';
import { CompareView } from './pages/compare-view';
import type { EditorPage } from './pages/editor-page';

/** 160×100: enlarged by the fit on a desktop pane, so a stale fit shows as a crop or an offset. */
const SIZE = { width: 160, height: 100 };

async function openInverted(editor: EditorPage, name = 'wide.png') {
  await editor.open(
    {
      name,
      mimeType: 'image/png',
      buffer: await solidPng(SIZE.width, SIZE.height, [200, 40, 40]),
    },
    SIZE,
  );
  await editor.chooseOperation('Invert');
  await editor.run(1, 'Invert');
}

/**
 * The picture is fitted to `pane`: wholly inside it, centred across (the fit's side insets are
 * equal) and touching at least one pair of insets (a stale, smaller pane's fit would not).
 */
async function expectFitted(
  view: CompareView,
  pane: Locator,
  image: 'Original image' | 'Result image',
) {
  await expect(async () => {
    const paneBox = (await pane.boundingBox())!;
    const box = await view.placement(pane, image);
    const where = `picture at ${JSON.stringify(box)} in a ${paneBox.width}×${paneBox.height} pane`;
    expect(box.x, where).toBeGreaterThanOrEqual(0);
    expect(box.y, where).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, where).toBeLessThanOrEqual(paneBox.width + 0.5);
    expect(box.y + box.height, where).toBeLessThanOrEqual(paneBox.height + 0.5);
    const gapLeft = box.x;
    const gapRight = paneBox.width - box.x - box.width;
    expect(Math.abs(gapLeft - gapRight), `centred across: ${where}`).toBeLessThanOrEqual(2);
    // Fit leaves 24 px either side and 120 px in height (48 top, 72 bottom) unless the 4× cap binds.
    const fillsWidth = Math.abs(box.width - (paneBox.width - 48)) <= 2;
    const fillsHeight = Math.abs(box.height - (paneBox.height - 120)) <= 2;
    const capped = Math.abs(box.width - SIZE.width * 4) <= 1;
    expect(fillsWidth || fillsHeight || capped, `fills the pane: ${where}`).toBe(true);
  }).toPass({ timeout: 10_000 });
}

test.describe('the viewer refits when its pane changes size', () => {
  test('Fit in side by side, then back to Split: the picture fills the split pane', async ({
    editor,
    page,
  }) => {
    await openInverted(editor);
    const view = new CompareView(page);
    await view.mode('Side by side');
    await view.stage.getByRole('button', { name: 'Fit to screen' }).click();
    await expectFitted(view, view.resultPane, 'Result image');
    await view.mode('Split');
    await expectFitted(view, view.splitPane, 'Result image');
  });

  test('a window resize and a phone rotation refit; a zoom the user chose is kept', async ({
    editor,
    page,
  }) => {
    await openInverted(editor);
    const view = new CompareView(page);
    await expectFitted(view, view.splitPane, 'Result image');
    await page.setViewportSize({ width: 900, height: 640 });
    await expectFitted(view, view.splitPane, 'Result image');
    // A phone, upright then turned.
    await page.setViewportSize({ width: 390, height: 844 });
    await expectFitted(view, view.splitPane, 'Result image');
    await page.setViewportSize({ width: 844, height: 390 });
    await expectFitted(view, view.splitPane, 'Result image');

    // Zoomed in by hand, the zoom survives a resize and the pane's centre stays on the picture.
    await page.setViewportSize({ width: 1280, height: 800 });
    await expectFitted(view, view.splitPane, 'Result image');
    await view.zoomIn.click();
    const zoom = await view.zoomLevel.innerText();
    await page.setViewportSize({ width: 1100, height: 760 });
    await expect(async () => {
      const pane = (await view.splitPane.boundingBox())!;
      const box = await view.placement(view.splitPane, 'Result image');
      expect(box.x).toBeLessThan(pane.width / 2);
      expect(box.x + box.width).toBeGreaterThan(pane.width / 2);
      expect(box.y).toBeLessThan(pane.height / 2);
      expect(box.y + box.height).toBeGreaterThan(pane.height / 2);
    }).toPass({ timeout: 10_000 });
    await expect(view.zoomLevel).toHaveText(zoom);
  });

  test('opening a file while in side by side fits the new picture to its pane', async ({
    editor,
    page,
  }) => {
    await openInverted(editor);
    const view = new CompareView(page);
    await view.mode('Side by side');
    await expectFitted(view, view.resultPane, 'Result image');
    await editor.open(
      {
        name: 'second.png',
        mimeType: 'image/png',
        buffer: await solidPng(SIZE.width, SIZE.height, [40, 200, 40]),
      },
      SIZE,
    );
    const single = view.stage.getByRole('group', { name: 'Original', exact: true });
    await expectFitted(view, single, 'Original image');
    await editor.chooseOperation('Invert');
    await editor.run(1, 'Invert');
    await expectFitted(view, view.resultPane, 'Result image');
  });
});
