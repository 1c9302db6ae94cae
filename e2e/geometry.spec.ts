import type { StepInput } from '@loupe/shared';
import { decode, maxAbsDiff, patternPng } from './fixtures/images';
import { expect, test } from './fixtures/test';

test('crop by its handles and fields, rotate and resize in the browser: the server gives the same pixels', async ({
  editor,
  api,
  page,
}) => {
  const input = await patternPng(48, 32);
  await editor.open(
    { name: 'pattern.png', mimeType: 'image/png', buffer: input },
    { width: 48, height: 32 },
  );
  await editor.runOn('Browser');
  await editor.chooseOperation('Crop');

  const field = (label: string) =>
    editor.controls.getByRole('slider', { name: label, exact: true });
  const area = editor.canvas.getByRole('group', { name: 'Crop area' });
  await expect(area).toBeVisible();
  await expect(field('Width')).toHaveValue('0');

  // Dragging the bottom-right handle up and left writes the crop's fields.
  const corner = editor.canvas.getByRole('button', { name: 'Crop bottom-right corner' });
  const at = (await corner.boundingBox())!;
  await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
  await page.mouse.down();
  await page.mouse.move(at.x - 30, at.y - 20, { steps: 4 });
  await page.mouse.up();
  await expect(field('Width')).not.toHaveValue('0');
  await expect(field('Height')).not.toHaveValue('0');
  const width = Number(await field('Width').inputValue());
  const height = Number(await field('Height').inputValue());
  expect(width).toBeLessThan(48);
  expect(height).toBeLessThan(32);

  // And a field moves the box: the handles and the panel are one state.
  const before = await area.boundingBox();
  await editor.setSlider('Left', 3);
  await expect(area).toHaveAttribute('aria-description', new RegExp(`at 3, 0\\.`));
  expect((await area.boundingBox())!.x).toBeGreaterThan(before!.x);
  await editor.setSlider('Top', 2);
  const crop = { x: 3, y: 2, width, height };
  await editor.run(1, 'Crop');
  await expect(editor.dimensions).toHaveText(`48 × 32 → ${width} × ${height}`);

  await editor.chooseOperation('Rotate');
  await editor.selectParam('Angle', '90° clockwise');
  await editor.run(2, 'Rotate');
  await expect(editor.dimensions).toHaveText(`48 × 32 → ${height} × ${width}`);

  await editor.chooseOperation('Resize');
  await editor.selectParam('Resampling', 'Lanczos-3');
  await editor.setSlider('Scale', 1.5);
  await editor.run(3, 'Resize');
  for (const [i, title] of [
    [1, 'Crop'],
    [2, 'Rotate'],
    [3, 'Resize'],
  ] as const)
    expect(await editor.stepRanOn(i, title)).toContain('Browser');

  const steps: StepInput[] = [
    { op: 'crop', params: crop },
    { op: 'rotate', params: { angle: 90 } },
    { op: 'resize', params: { mode: 'scale', scale: 1.5, kernel: 'lanczos3' } },
  ];
  const served = await decode((await api.edit(input, steps)).bytes);
  const browser = (await editor.download()).pixels;
  expect([browser.width, browser.height]).toEqual([
    Math.round(height * 1.5),
    Math.round(width * 1.5),
  ]);
  expect([served.width, served.height]).toEqual([browser.width, browser.height]);
  // Integer-exact kernels: not within 1, the same bytes.
  expect(maxAbsDiff(browser, served)).toBe(0);
});
