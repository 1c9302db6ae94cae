import { decode, gradientPng, maxAbsDiff, type Pixels } from './fixtures/images';
import { expect, test } from './fixtures/test';

const meanRgb = (p: Pixels) => {
  let sum = 0;
  for (let i = 0; i < p.data.length; i += 4) sum += p.data[i]! + p.data[i + 1]! + p.data[i + 2]!;
  return sum / ((p.data.length / 4) * 3);
};

test('dragging Exposure previews live without a history step; letting go commits one, the server’s pixels', async ({
  editor,
  api,
  page,
}) => {
  const size = { width: 160, height: 96 };
  const input = await gradientPng(size.width, size.height);
  await editor.open({ name: 'gradient.png', mimeType: 'image/png', buffer: input }, size);
  await editor.chooseOperation('Adjust');
  await expect(editor.controls.getByRole('switch', { name: /Live preview/ })).toBeChecked();
  // Zoomed out below 1:1 the screen shows fewer pixels than the picture has: previews are shrunk.
  await editor.canvas.getByRole('button', { name: 'Actual pixels (1:1)', exact: true }).click();
  await editor.canvas.getByRole('button', { name: 'Zoom out', exact: true }).click();
  const original = meanRgb(await editor.shownPixels('Original image'));

  const steps = editor.history.getByRole('button', { name: /^Step \d+: / });
  const badge = (text: string) => editor.canvas.getByText(text, { exact: true });
  const slider = editor.controls.getByRole('slider', { name: 'Exposure', exact: true });
  // The op list is long (the prompt ops are in it): the slider must be on screen to be dragged.
  await slider.scrollIntoViewIfNeeded();
  const track = (await slider.boundingBox())!;
  const y = track.y + track.height / 2;
  // Exposure runs from -3 to 3: 0, its default, is the middle of the track.
  const middle = track.x + track.width / 2;
  await page.mouse.move(middle, y);
  await page.mouse.down();
  await page.mouse.move(middle + track.width * 0.08, y, { steps: 4 });

  // The result pane follows the slider while the button is still down, and history does not.
  // The first preview starts the worker and its model session, like a first Run.
  await expect(badge('Preview')).toBeVisible({ timeout: 90_000 });
  await expect
    .poll(async () => meanRgb(await editor.shownPixels('Result image')))
    .toBeGreaterThan(original + 10);
  const during = meanRgb(await editor.shownPixels('Result image'));
  await page.mouse.move(middle + track.width * 0.16, y, { steps: 4 });
  await expect
    .poll(async () => meanRgb(await editor.shownPixels('Result image')))
    .toBeGreaterThan(during + 10);
  await expect(steps).toHaveCount(0);
  await expect(editor.runButton).toBeVisible();

  // Letting go runs it once at full resolution: one history step, no longer a preview.
  await page.mouse.up();
  await expect(editor.historyStep(1, 'Adjust')).toBeVisible();
  await expect(editor.runButton).toBeVisible();
  await expect(steps).toHaveCount(1);
  await expect(badge('Preview')).toBeHidden();
  await expect(badge('Result')).toBeVisible();

  const exposure = Number(await slider.inputValue());
  expect(exposure).toBeGreaterThan(0.5);
  await expect(editor.historyStep(1, 'Adjust')).toContainText(`Exposure ${exposure} EV`);
  const result = await editor.download();
  const server = await decode(
    (await api.edit(input, [{ op: 'adjust', params: { exposure } }])).bytes,
  );
  expect([result.pixels.width, result.pixels.height]).toEqual([size.width, size.height]);
  expect(maxAbsDiff(result.pixels, server)).toBeLessThanOrEqual(1);
});
