import { alphaHistogram, decode, flowerPng } from './fixtures/images';
import { expect, test } from './fixtures/test';

test('background removal keeps transparency in the downloaded PNG', async ({ editor }) => {
  const size = 64;
  const input = await flowerPng(size);
  await editor.open(
    { name: 'hibiscus.png', mimeType: 'image/png', buffer: input },
    { width: size, height: size },
  );
  await editor.chooseOperation('Remove background');
  await editor.selectParam('Output', 'Cutout (transparent)');
  await editor.run(1, 'Remove background', 110_000);
  await expect(editor.dimensions).toHaveText(`${size} × ${size}`);

  await editor.chooseFormat('PNG');
  const { name, pixels } = await editor.download();
  expect(name).toMatch(/^hibiscus_.*\.png$/);
  expect([pixels.width, pixels.height]).toEqual([size, size]);

  // The flower fills about half the frame: both the cut-away backdrop and the solid subject survive the download.
  const alpha = alphaHistogram(pixels);
  expect(alpha.transparent / alpha.total).toBeGreaterThan(0.2);
  expect(alpha.opaque / alpha.total).toBeGreaterThan(0.05);
  const alphaAt = (x: number, y: number) => pixels.data[(y * size + x) * 4 + 3];
  expect(alphaAt(1, 1), 'top-left corner is backdrop').toBeLessThanOrEqual(8);
  expect(alphaAt(1, size - 2), 'bottom-left corner is backdrop').toBeLessThanOrEqual(8);

  // Where the subject is opaque its colour is the photo's, untouched.
  const original = await decode(input);
  let opaqueChecked = 0;
  for (let i = 0; i < pixels.data.length; i += 4) {
    if (pixels.data[i + 3] !== 255) continue;
    opaqueChecked++;
    for (let c = 0; c < 3; c++)
      expect(Math.abs(pixels.data[i + c]! - original.data[i + c]!)).toBeLessThanOrEqual(1);
  }
  expect(opaqueChecked).toBeGreaterThan(0);

  // WebP keeps an alpha channel too; only JPEG may flatten.
  await editor.chooseFormat('WebP');
  const webp = await editor.download();
  expect(webp.name).toMatch(/^hibiscus_.*\.webp$/);
  expect(webp.bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
  const webpAlpha = alphaHistogram(webp.pixels);
  expect(webpAlpha.transparent / webpAlpha.total).toBeGreaterThan(0.2);
  expect(webpAlpha.opaque / webpAlpha.total).toBeGreaterThan(0.05);
});
