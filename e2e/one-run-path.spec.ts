import { gradientPng, decode, maxAbsDiff, photoPng } from './fixtures/images';
import type { LoupeServer } from './fixtures/loupe-server';
import { expect, test } from './fixtures/test';
import { BatchPanel } from './pages/batch-panel';

/** Jobs the server admitted, in its own words (GET /metrics), not the UI's. */
async function jobsSubmitted(server: LoupeServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('loupe_jobs_submitted_total '));
  if (!line) throw new Error('the server reports no loupe_jobs_submitted_total');
  return Number(line.split(' ')[1]);
}

test('a batch places each file for its own size and says why', async ({ editor, server }) => {
  const png = (side: number) => gradientPng(side, side);
  const files = [
    { name: 'open.png', side: 16 },
    { name: 'small.png', side: 24 },
    { name: 'medium.png', side: 160 },
    { name: 'large.png', side: 200 },
  ];
  await editor.dropFiles(
    await Promise.all(
      files.map(async (f) => ({ name: f.name, mimeType: 'image/png', buffer: await png(f.side) })),
    ),
  );
  await expect(editor.dimensions).toHaveText('16 × 16');
  await editor.chooseOperation('Upscale');
  await editor.selectParam('Model', 'Slim (fast)');
  await editor.selectParam('Scale', '2×');
  await editor.run(1, 'Upscale');

  // Where each file goes follows this machine's measured speed (the time model learns it from
  // its own runs), so the test asks what holds under any load: every row gives both estimates
  // for its own size, goes to the side it predicts is quicker, and runs there.
  const batch = new BatchPanel(editor.page);
  const row =
    /^(Browser \(WASM\)|Server) — (?:this device|Server) ≈ [\d.]+ (?:s|min), (?:this device|Server) ≈ [\d.]+ (?:s|min) \(.*swiftshader is software\)$/;
  const seconds = (text: string, side: 'this device' | 'Server') => {
    const m = new RegExp(`${side} ≈ ([\\d.]+) (s|min)`).exec(text)!;
    return Number(m[1]) * (m[2] === 'min' ? 60 : 1);
  };
  const placed: Record<string, { where: string; device: number }> = {};
  for (const f of files.slice(1)) {
    const cell = batch.placement(f.name);
    await expect(cell).toHaveText(row);
    const text = (await cell.textContent())!;
    const where = (await cell.getAttribute('data-where'))!;
    const device = seconds(text, 'this device');
    const onServer = seconds(text, 'Server');
    // Rounded estimates may tie; otherwise the quicker side wins.
    if (device !== onServer) expect(where, text).toBe(device < onServer ? 'browser' : 'server');
    placed[f.name] = { where, device };
  }
  // Each file was estimated for its own size, not the open file's.
  expect(placed['medium.png']!.device).toBeGreaterThan(placed['small.png']!.device);
  expect(placed['large.png']!.device).toBeGreaterThanOrEqual(placed['medium.png']!.device);
  await expect(batch.placement('open.png')).toHaveCount(0);

  const before = await jobsSubmitted(server);
  await batch.applyToAll(1);
  for (const f of files.slice(1)) await expect(batch.status(f.name)).toHaveText('Done');
  // Each file ran where its own row said: one job per server row, none for the browser rows.
  const serverRows = Object.values(placed).filter((p) => p.where === 'server').length;
  expect(await jobsSubmitted(server)).toBe(before + serverRows);
});

test('a server re-run of a three-step pipeline is one job, and its pictures say what was kept', async ({
  editor,
  server,
  api,
}) => {
  const input = await photoPng(16);
  await editor.open(
    { name: 'photo.png', mimeType: 'image/png', buffer: input },
    { width: 16, height: 16 },
  );
  await editor.runOn('Server');
  await editor.chooseOperation('Upscale');
  await editor.selectParam('Model', 'Slim (fast)');
  await editor.selectParam('Scale', '2×');
  await editor.run(1, 'Upscale');
  await editor.chooseOperation('Adjust');
  await editor.setSlider('Exposure', 1);
  await editor.run(2, 'Adjust');
  await editor.chooseOperation('Invert');
  await editor.run(3, 'Invert');

  // Step 1 again with the medium model: it and the two steps after it re-run.
  await editor.history.getByRole('button', { name: 'Edit step 1', exact: true }).click();
  await editor.selectParam('Model', 'Medium');
  await expect(editor.controls).toContainText('Re-running step 1 and 2 after it');
  await expect(editor.placement).toContainText('Runs on: Server');
  const before = await jobsSubmitted(server);
  await editor.runButton.click();
  await expect(editor.historyStep(3, 'Invert')).toHaveAttribute('aria-current', 'step');
  await expect(editor.runButton).toBeVisible();
  expect(await jobsSubmitted(server)).toBe(before + 1);
  await expect(editor.historyStep(1, 'Upscale')).toContainText('Medium');

  // One job returns one picture: steps 1 and 2 keep their step and size, not their pixels.
  await expect(editor.historyStep(1, 'Upscale')).toContainText('Picture not kept');
  await expect(editor.historyStep(2, 'Adjust')).toContainText('Picture not kept');
  await expect(editor.historyStep(3, 'Invert')).not.toContainText('Picture not kept');
  const pipeline = [
    { op: 'upscale', params: { model: 'medium', scale: 2 } },
    { op: 'adjust', params: { exposure: 1 } },
    { op: 'invert', params: {} },
  ] as const;
  const last = await editor.download();
  const expected = await decode((await api.edit(input, pipeline)).bytes);
  expect(maxAbsDiff(last.pixels, expected)).toBe(0);

  // Selecting step 2 recomputes its picture from the original, on the server where it ran.
  // (POST /api/edit above is a job too: count from here.)
  const beforeRestore = await jobsSubmitted(server);
  await editor.historyStep(2, 'Adjust').click();
  await expect(editor.historyStep(2, 'Adjust')).not.toContainText('Picture not kept');
  await expect(editor.runButton).toBeVisible();
  expect(await jobsSubmitted(server)).toBe(beforeRestore + 1);
  const second = await editor.download();
  const upToAdjust = await decode((await api.edit(input, pipeline.slice(0, 2))).bytes);
  expect(maxAbsDiff(second.pixels, upToAdjust)).toBe(0);
  await expect(editor.historyStep(1, 'Upscale')).toContainText('Picture not kept');
});
