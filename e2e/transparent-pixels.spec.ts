import type sharpTypes from 'sharp';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { decode, flowerPng, type Pixels } from './fixtures/images';
import { expect, test } from './fixtures/test';
import type { EditorPage, RunOn } from './pages/editor-page';

const require = createRequire(resolve(import.meta.dirname, '../apps/server/package.json'));
const sharp = require('sharp') as typeof sharpTypes;

/**
 * Fully transparent pixels of `p` with a colour channel above `tolerance`, and how many are
 * transparent. `block` counts only pixels whose aligned block×block square is all transparent.
 */
function colourUnderClear(
  p: Pixels,
  { block = 1, tolerance = 0 } = {},
): { clear: number; coloured: number; example?: number[] } {
  const alpha = (x: number, y: number) => p.data[(y * p.width + x) * 4 + 3];
  const squareClear = (x: number, y: number) => {
    const [x0, y0] = [x - (x % block), y - (y % block)];
    for (let v = y0; v < Math.min(p.height, y0 + block); v++)
      for (let u = x0; u < Math.min(p.width, x0 + block); u++) if (alpha(u, v) !== 0) return false;
    return true;
  };
  let clear = 0;
  let coloured = 0;
  let example: number[] | undefined;
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const i = (y * p.width + x) * 4;
      if (p.data[i + 3] !== 0 || !squareClear(x, y)) continue;
      clear++;
      if (Math.max(p.data[i]!, p.data[i + 1]!, p.data[i + 2]!) > tolerance) {
        coloured++;
        example ??= [x, y, ...p.data.subarray(i, i + 4)];
      }
    }
  }
  return { clear, coloured, example };
}

/**
 * PNG: every fully transparent pixel has colour 0. Lossy WebP codes colour in 16×16 macroblocks
 * (4:2:0) and filters across their edges, so a decoder returns a little of the visible colour
 * nearby even where the encoder was given zeros (apps/web/README.md, "Transparent pixels"):
 * in macroblocks with nothing visible, a few levels (up to 19 measured), never a picture.
 */
async function expectNoColourUnderClear(pixels: Pixels, format: 'PNG' | 'WebP', source: string) {
  const found = colourUnderClear(pixels, format === 'WebP' ? { block: 16, tolerance: 32 } : {});
  expect(found.clear, `${source} ${format} has fully transparent pixels`).toBeGreaterThan(0);
  expect(
    found.coloured,
    `${source} ${format}: ${found.coloured} of ${found.clear} fully transparent pixels keep a colour, e.g. x, y, rgba = ${found.example}`,
  ).toBe(0);
}

async function expectDownloadsClean(editor: EditorPage): Promise<Pixels> {
  await editor.chooseFormat('PNG');
  const png = (await editor.download()).pixels;
  await expectNoColourUnderClear(png, 'PNG', 'downloaded');
  await editor.chooseFormat('WebP');
  await expectNoColourUnderClear((await editor.download()).pixels, 'WebP', 'downloaded');
  return png;
}

/** Flattened onto white, the cut-away backdrop is white: far from the subject, every pixel is near white. */
async function expectJpegBackdropWhite(editor: EditorPage, cutout: Pixels) {
  await editor.chooseFormat('JPEG');
  const { pixels } = await editor.download();
  const { width, height } = cutout;
  const alpha = (x: number, y: number) => cutout.data[(y * width + x) * 4 + 3]!;
  // A pixel whose 5×5 neighbourhood is all transparent: JPEG's 8×8 ringing cannot reach it from the subject much.
  let checked = 0;
  let darkest = 255;
  for (let y = 2; y < height - 2; y++) {
    for (let x = 2; x < width - 2; x++) {
      let clear = true;
      for (let dy = -2; dy <= 2 && clear; dy++)
        for (let dx = -2; dx <= 2 && clear; dx++) clear = alpha(x + dx, y + dy) === 0;
      if (!clear) continue;
      checked++;
      const i = (y * width + x) * 4;
      darkest = Math.min(darkest, pixels.data[i]!, pixels.data[i + 1]!, pixels.data[i + 2]!);
    }
  }
  expect(checked).toBeGreaterThan(0);
  expect(darkest, 'the JPEG backdrop shows no trace of the removed scene').toBeGreaterThanOrEqual(
    235,
  );
}

for (const where of ['Browser', 'Server'] as const satisfies readonly RunOn[]) {
  test(`a background removed on the ${where.toLowerCase()} leaves no colour under transparent pixels`, async ({
    editor,
    api,
  }) => {
    // 128²: big enough for the backdrop to fill whole 16×16 WebP macroblocks in the corners.
    const size = 128;
    const input = await flowerPng(size);
    await editor.open(
      { name: 'hibiscus.png', mimeType: 'image/png', buffer: input },
      { width: size, height: size },
    );
    await editor.chooseOperation('Remove background');
    await editor.selectParam('Output', 'Cutout (transparent)');
    await editor.runOn(where);
    // ISNet sees 1024² whatever the input: on 2 busy cores WASM takes minutes.
    test.setTimeout(360_000);
    await editor.run(1, 'Remove background', 300_000);

    if (where === 'Server') {
      // The server's own answer, as an API client gets it (no browser canvas in between).
      const { bytes } = await api.edit(input, [
        { op: 'remove-background', params: { output: 'cutout' } },
      ]);
      await expectNoColourUnderClear(await decode(bytes), 'PNG', 'POST /api/edit');
    }
    const png = await expectDownloadsClean(editor);
    await expectJpegBackdropWhite(editor, png);
  });
}

test('an input that has colour under transparent pixels is saved without it', async ({
  editor,
}) => {
  // Left half fully transparent over a loud pattern, right half opaque: Invert keeps the alpha.
  const width = 32;
  const height = 16;
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data.set([(x * 37) & 255, (y * 59) & 255, 200, x < width / 2 ? 0 : 255], i);
    }
  }
  const input = await sharp(data, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
  expect(colourUnderClear(await decode(input)).coloured, 'the input does hide colour').toBe(
    (width / 2) * height,
  );
  await editor.open(
    { name: 'hidden.png', mimeType: 'image/png', buffer: input },
    { width, height },
  );
  await editor.chooseOperation('Invert');
  await editor.runOn('Browser');
  await editor.run(1, 'Invert');
  await expectDownloadsClean(editor);
});
