import { decode, maxAbsDiff, photoPng, type Pixels } from './fixtures/images';
import { expect, test } from './fixtures/test';

const UPSCALE = { op: 'upscale', params: { model: 'slim', scale: 2 } } as const;
const BRIGHTER = {
  op: 'adjust',
  params: { exposure: 1, contrast: 0, saturation: 0, temperature: 0, tint: 0, gamma: 1 },
} as const;

const meanRgb = (p: Pixels) => {
  let sum = 0;
  for (let i = 0; i < p.data.length; i += 4) sum += p.data[i]! + p.data[i + 1]! + p.data[i + 2]!;
  return sum / ((p.data.length / 4) * 3);
};

test('an adjustment chained after an upscale, then undo and redo walk the same pictures', async ({
  editor,
  api,
}) => {
  const input = await photoPng(16);
  await editor.open(
    { name: 'photo.png', mimeType: 'image/png', buffer: input },
    { width: 16, height: 16 },
  );
  // The server's results for the same input are the reference: same edit, same pixels, wherever it runs.
  const upscaled = await decode((await api.edit(input, [UPSCALE])).bytes);
  const chained = await decode((await api.edit(input, [UPSCALE, BRIGHTER])).bytes);

  await editor.chooseOperation('Upscale');
  await editor.selectParam('Model', 'Slim (fast)');
  await editor.selectParam('Scale', '2×');
  await editor.run(1, 'Upscale');
  await expect(editor.dimensions).toHaveText('16 × 16 → 32 × 32');

  await editor.chooseOperation('Adjust');
  await editor.setSlider('Exposure', 1);
  await editor.run(2, 'Adjust');
  await expect(editor.dimensions).toHaveText('16 × 16 → 32 × 32');
  await expect(editor.historyStep(2, 'Adjust')).toContainText('Exposure 1 EV');

  const afterBoth = await editor.download();
  expect(afterBoth.name).toMatch(/^photo_.*upscale.*adjust.*\.png$/);
  expect([afterBoth.pixels.width, afterBoth.pixels.height]).toEqual([32, 32]);
  expect(maxAbsDiff(afterBoth.pixels, chained)).toBeLessThanOrEqual(1);
  expect(meanRgb(afterBoth.pixels)).toBeGreaterThan(meanRgb(upscaled) + 20);

  await editor.undoButton.click();
  await expect(editor.historyStep(1, 'Upscale')).toHaveAttribute('aria-current', 'step');
  await expect(editor.redoButton).toBeEnabled();
  const afterUndo = await editor.download();
  expect(afterUndo.name).not.toContain('adjust');
  expect(maxAbsDiff(afterUndo.pixels, upscaled)).toBeLessThanOrEqual(1);

  await editor.undoButton.click();
  await expect(editor.dimensions).toHaveText('16 × 16');
  await expect(editor.undoButton).toBeDisabled();

  await editor.redoButton.click();
  await editor.redoButton.click();
  await expect(editor.historyStep(2, 'Adjust')).toHaveAttribute('aria-current', 'step');
  await expect(editor.redoButton).toBeDisabled();
  await expect(editor.dimensions).toHaveText('16 × 16 → 32 × 32');
  const afterRedo = await editor.download();
  expect(maxAbsDiff(afterRedo.pixels, afterBoth.pixels)).toBe(0);
});

test('a step is labelled with the parameters its mode uses, not ones left over from another mode', async ({
  editor,
}) => {
  await editor.open(
    { name: 'photo.png', mimeType: 'image/png', buffer: await photoPng(16) },
    { width: 16, height: 16 },
  );
  await editor.chooseOperation('Resize');
  // A scale picked first, then the mode switched to a width: the scale field keeps its 2 (hidden).
  await editor.setSlider('Scale', 2);
  await editor.selectParam('Resize by', 'Width and height');
  await editor.setSlider('Width', 32);
  await editor.run(1, 'Resize');
  await expect(editor.dimensions).toHaveText('16 × 16 → 32 × 32');
  const step = editor.historyStep(1, 'Resize');
  await expect(step).toContainText('Width and height, Width 32 px, Lanczos-3');
  await expect(step).not.toContainText('Scale');
});
