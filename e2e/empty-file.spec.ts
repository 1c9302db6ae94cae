import { gradientPng } from './fixtures/images';
import { expect, test } from './fixtures/test';

test('a zero-byte file is called empty, not unsupported, and the open picture stays', async ({
  editor,
}) => {
  await editor.open(
    { name: 'keep-me.png', mimeType: 'image/png', buffer: await gradientPng(24, 16) },
    { width: 24, height: 16 },
  );
  await editor.dropFiles([
    { name: 'half-copied.png', mimeType: 'image/png', buffer: Buffer.alloc(0) },
  ]);
  const empty = editor.errorNotice('The file is empty');
  await expect(empty).toBeVisible();
  await expect(empty).toContainText('half-copied.png is 0 bytes');
  await expect(editor.errorNotice('This file is not a supported image')).toHaveCount(0);
  await expect(editor.imageDetails).toContainText('keep-me.png');
});
