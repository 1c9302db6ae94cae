import { decode, gradientJpeg, gradientPng, maxAbsDiff } from './fixtures/images';
import { expect, test } from './fixtures/test';

test.describe('opening images', () => {
  test('a PNG dropped anywhere on the page opens with its name, size and format, pixel for pixel', async ({
    editor,
    page,
  }) => {
    const png = await gradientPng(24, 16);
    // Dropped on the empty state's heading, not a drop box: the whole page accepts files.
    await editor.dropFiles(
      [{ name: 'gradient.png', mimeType: 'image/png', buffer: png }],
      page.getByRole('heading', { name: 'Drop an image to start' }),
      // Files held over the page show the drop overlay until they land.
      () => expect(page.getByText('Drop to open')).toBeVisible(),
    );
    await expect(page.getByText('Drop to open')).toBeHidden();

    await expect(editor.imageDetails).toContainText('gradient.png');
    await expect(editor.dimensions).toHaveText('24 × 16');
    await expect(editor.imageDetails).toContainText('PNG');
    await expect(editor.imageDetails).toContainText(`${png.length} B`);
    const shown = await editor.actualPixels('Original image');
    expect(maxAbsDiff(shown, await decode(png))).toBe(0);
    await expect(editor.runButton).toBeEnabled();
  });

  test('a JPEG whose name says PNG is recognised by its bytes', async ({ editor }) => {
    const jpeg = await gradientJpeg(20, 12);
    await editor.open(
      { name: 'misnamed.png', mimeType: 'image/png', buffer: jpeg },
      { width: 20, height: 12 },
    );
    await expect(editor.imageDetails).toContainText('JPEG');
  });

  test('a corrupt image and a non-image are refused clearly and the open picture stays', async ({
    editor,
  }) => {
    const png = await gradientPng(24, 16);
    await editor.open(
      { name: 'keep-me.png', mimeType: 'image/png', buffer: png },
      { width: 24, height: 16 },
    );
    const before = await editor.actualPixels('Original image');

    // A real PNG cut off after its header: it sniffs as PNG and declares a size, then fails to decode.
    const truncated = Buffer.concat([png.subarray(0, 60), Buffer.alloc(40, 0xab)]);
    await editor.dropFiles([{ name: 'broken.png', mimeType: 'image/png', buffer: truncated }]);
    const corrupt = editor.errorNotice('The image file is damaged or truncated');
    await expect(corrupt).toBeVisible();
    await expect(corrupt).toContainText('broken.png');

    await editor.dropFiles([
      {
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('not a picture\n'.repeat(20)),
      },
    ]);
    const notImage = editor.errorNotice('This file is not a supported image');
    await expect(notImage).toBeVisible();
    await expect(notImage).toContainText('notes.txt');
    await expect(notImage).toContainText('PNG, JPEG, WebP');

    await expect(editor.imageDetails).toContainText('keep-me.png');
    await expect(editor.dimensions).toHaveText('24 × 16');
    expect(maxAbsDiff(await editor.actualPixels('Original image'), before)).toBe(0);
    await expect(editor.runButton).toBeEnabled();
  });
});
