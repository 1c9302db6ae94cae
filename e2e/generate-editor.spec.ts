import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createLoupeClient, type LoupeClient } from '@loupe/client';
import { parseSdParameters, readPngText } from '@loupe/shared';
import { tinyPipelineFixtures } from '../tools/models/src/diffusion/fixtures';
import { decode, flowerPng, maxAbsDiff } from './fixtures/images';
import { LoupeServer } from './fixtures/loupe-server';
import { changed, count, outside } from './fixtures/mask-pixels';
import { EditorPage } from './pages/editor-page';
import { Documents } from './pages/documents';
import { capsule, MaskBrushPage } from './pages/mask-brush';
import { PromptPanel } from './pages/prompt-panel';

/**
 * Issue #14: the editor's generative UI against the real server with tiny random-weight
 * pipelines (they make noise; they are fixtures, not models). Runs are small (64², 2 steps)
 * except the preview and cancel runs, which need enough steps to be seen mid-way.
 */
const TINY = 'tiny (random weights: makes noise)';
const PROMPT = 'a lighthouse at dusk';
const SEED = 1234;

let dir: string;
let server: LoupeServer;
let api: LoupeClient;

test.beforeAll(async () => {
  const fixtures = tinyPipelineFixtures();
  dir = mkdtempSync(join(tmpdir(), 'loupe-e2e-generate-'));
  cpSync(fixtures.path('optimum-fp32'), join(dir, 'tiny'), { recursive: true });
  cpSync(fixtures.path('optimum-instruct'), join(dir, 'tiny-instruct'), { recursive: true });
  server = new LoupeServer({ LOUPE_DIFFUSION_DIR: dir });
  await server.start();
  api = createLoupeClient({ baseUrl: server.url });
});
test.afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openGenerate(page: Page) {
  const editor = new EditorPage(page);
  await editor.goto(server.url);
  const panel = new PromptPanel(page, editor);
  await panel.startFromNothing();
  await expect(panel.models.getByRole('radio', { name: TINY })).toBeChecked();
  return { editor, panel };
}

test('generate from nothing with a fixed seed twice gives the same pixels, and the PNG carries them back', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const { editor, panel } = await openGenerate(page);
  await expect(panel.models).toContainText('Licence:');
  await panel.prompt.fill(PROMPT);
  // Counted by the folder's own tokenizer, start and end included.
  await expect(panel.tokens).toHaveAttribute('data-exact', 'true');
  await expect(panel.tokens).toHaveText(/^\d+ \/ 77 tokens$/);
  await editor.setSlider('Steps', 2);
  await expect(
    panel.section.getByRole('radio', { name: 'Native 64 × 64', exact: true }),
  ).toBeChecked();
  await panel.fixSeed(SEED);
  await editor.runOn('Server');
  await expect(editor.placement).toContainText('Server');

  await editor.run(1, 'Generate');
  await expect(editor.imageDetails).toContainText('a-lighthouse-at-dusk.png');
  const first = await editor.download();
  await editor.run(2, 'Generate');
  const second = await editor.download();
  expect([first.pixels.width, first.pixels.height]).toEqual([64, 64]);
  expect(maxAbsDiff(first.pixels, second.pixels)).toBe(0);

  // The server's own answer to the same parameters is the witness that these are its pixels.
  const { image } = await api.edit(null, {
    steps: [
      {
        op: 'generate',
        params: { model: 'tiny', prompt: PROMPT, seed: SEED, steps: 2, width: 64, height: 64 },
      },
    ],
    format: 'png',
  });
  expect(maxAbsDiff(first.pixels, await decode(new Uint8Array(await image.arrayBuffer())))).toBe(0);

  const texts = (await readPngText(new Uint8Array(second.bytes))).texts;
  const parameters = texts.find((t) => t.keyword === 'parameters')!.text;
  expect(parseSdParameters(parameters).params).toMatchObject({
    prompt: PROMPT,
    seed: SEED,
    steps: 2,
    width: 64,
    height: 64,
  });
  expect(parseSdParameters(parameters).model.name).toBe('tiny');
  await editor.history.getByRole('button', { name: 'Copy parameters of step 2' }).click();
  await expect(editor.notice('Parameters copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(parameters);

  // Other settings in the panel; the dropped PNG opens beside the work and offers its own back.
  await panel.prompt.fill('something else');
  await panel.seed.fill('5');
  await editor.setSlider('Steps', 9);
  await editor.dropFiles([{ name: 'made.png', mimeType: 'image/png', buffer: second.bytes }]);
  await expect(editor.imageDetails).toContainText('made.png');
  const offer = editor.controls.getByRole('region', { name: 'Generation parameters' });
  await expect(offer).toContainText('made.png carries the parameters it was made with');
  await offer.getByRole('button', { name: 'Restore parameters' }).click();
  await expect(panel.prompt).toHaveValue(PROMPT);
  await expect(panel.seed).toHaveValue(String(SEED));
  await expect(editor.controls.getByRole('slider', { name: 'Steps', exact: true })).toHaveValue(
    '2',
  );
  await expect(panel.lockSeed).toHaveAttribute('aria-pressed', 'true');
});

test('step previews appear in the canvas, more than one distinct, and the result takes their place', async ({
  page,
}) => {
  const { editor, panel } = await openGenerate(page);
  await panel.prompt.fill(PROMPT);
  await panel.size(256, 256);
  await editor.setSlider('Steps', 30);
  await panel.fixSeed(SEED);
  await editor.runOn('Server');
  await panel.recordPreviews();
  await editor.runButton.click();
  await expect(panel.stageProgress).toContainText(/Step \d+\/30/);
  await expect(editor.historyStep(1, 'Generate')).toBeVisible({ timeout: 90_000 });
  await expect(editor.canvas.getByText('Result', { exact: true })).toBeVisible();
  await expect.poll(async () => (await panel.previewsSeen()).at(-1)?.badge).toBe('Result');

  const seen = await panel.previewsSeen();
  const previews = seen.filter((p) => p.badge.startsWith('Preview'));
  test.info().annotations.push({
    type: 'measured',
    description: `${previews.length} previews shown of 30 steps`,
  });
  expect(new Set(previews.map((p) => p.digest)).size).toBeGreaterThan(1);
  // Same geometry: the result lies exactly where its previews lay.
  const result = seen.at(-1)!;
  for (const p of previews) expect(p.box).toEqual(result.box);
});

test('cancel mid-run leaves the editor ready, and the server stops the job', async ({ page }) => {
  const { editor, panel } = await openGenerate(page);
  await panel.prompt.fill(PROMPT);
  // Slow by construction: at 256² the tiny pipeline ran all 150 steps in 2.8 s on a loaded CI
  // machine, before a click that took 1 s there reached the server. At 512² its full-resolution
  // attention makes a step ~1.3 s here (the run ~200 s), so the cancel, sent on the first
  // preview, lands a few steps in (step 4 here) and the job cannot end first.
  await panel.size(512, 512);
  await editor.setSlider('Steps', 150);
  await editor.runOn('Server');
  const created = page.waitForResponse(
    (r) => r.url().endsWith('/api/jobs') && r.request().method() === 'POST',
  );
  await editor.runButton.click();
  const { id } = (await (await created).json()) as { id: string };
  // Cancelled once a preview is on the stage: the run is under way, far from its end.
  await expect(editor.canvas.getByText(/^Preview · step \d+\/150$/)).toBeVisible();
  const noticed = expect(editor.notice('Cancelled')).toContainText('Nothing was changed.');
  await panel.cancelGeneration.click();
  await noticed;
  await expect.poll(async () => (await api.job(id)).state).toBe('cancelled');
  const stoppedAt = (await api.job(id)).progress;
  expect(stoppedAt?.total).toBe(150);
  test.info().annotations.push({
    type: 'measured',
    description: `stopped at ${stoppedAt!.done}/${stoppedAt!.total} steps`,
  });
  expect(stoppedAt!.done).toBeLessThan(150);
  // Nothing was made: back to the first screen, with the prompt still set and Run ready.
  await expect(page.getByRole('heading', { name: 'Drop an image to start' })).toBeVisible();
  await expect(panel.prompt).toHaveValue(PROMPT);
  await editor.setSlider('Steps', 2);
  await panel.size(64, 64);
  await editor.run(1, 'Generate');
});

test('a forced Browser run on a device without a hardware GPU is refused with the reason', async ({
  page,
}) => {
  const { editor, panel } = await openGenerate(page);
  await panel.prompt.fill(PROMPT);
  await expect(editor.placement).toContainText(
    'generative models need a hardware GPU with fp16 in the browser',
  );
  await expect(editor.placement).toContainText('Server');
  await editor.runOn('Browser');
  await expect(editor.placement).toContainText('you chose Browser, but generative models need');
  await expect(editor.runButton).toBeDisabled();
});

test('an instruction edit in one line, then compared before and after', async ({ page }) => {
  const editor = new EditorPage(page);
  await editor.goto(server.url);
  const png = await flowerPng(64);
  await editor.open(
    { name: 'flower.png', mimeType: 'image/png', buffer: png },
    { width: 64, height: 64 },
  );
  await editor.chooseOperation('Instruction edit');
  const panel = new PromptPanel(page, editor);
  await expect(
    panel.models.getByRole('radio', { name: 'tiny-instruct (random weights: makes noise)' }),
  ).toBeChecked();
  const line = panel.section.getByRole('textbox', { name: 'Instruction' });
  await line.fill('add a red hat');
  await line.press('Enter');
  await expect(editor.historyStep(1, 'Instruction edit')).toBeVisible({ timeout: 90_000 });
  const modes = editor.canvas.getByRole('radiogroup', { name: 'Comparison mode' });
  await modes.getByRole('radio', { name: 'Side by side' }).check();
  await expect(editor.canvas.getByRole('img', { name: 'Original image' })).toBeVisible();
  await expect(editor.canvas.getByRole('img', { name: 'Result image' })).toBeVisible();
  const [before, after] = [
    await editor.shownPixels('Original image'),
    await editor.shownPixels('Result image'),
  ];
  expect(maxAbsDiff(before, after)).toBeGreaterThan(0);
});

test('inpaint with a painted mask on the server: only the masked area changes, and undo/redo bring back picture and mask, after a reload too', async ({
  page,
}) => {
  const SIDE = 64;
  const size = { width: SIDE, height: SIDE };
  const editor = new EditorPage(page);
  await editor.goto(server.url);
  const png = await flowerPng(SIDE);
  await editor.open({ name: 'flower.png', mimeType: 'image/png', buffer: png }, size);
  const input = await decode(png);
  await editor.chooseOperation('Inpaint');
  const panel = new PromptPanel(page, editor);
  await expect(panel.models.getByRole('radio', { name: TINY })).toBeChecked();
  await panel.prompt.fill('a stone wall');
  await editor.setSlider('Steps', 2);
  await editor.setSlider('Mask blur', 0);
  await panel.fixSeed(SEED);
  await editor.runOn('Server');
  const brush = new MaskBrushPage(page);
  const [a, b] = [
    { x: 16, y: 24 },
    { x: 44, y: 36 },
  ];
  await brush.drag(a, b, SIDE);
  await expect.poll(async () => count(await brush.tinted(size))).toBeGreaterThan(0);
  const painted = await brush.tinted(size);
  await editor.run(1, 'Inpaint');

  const inpainted = (await editor.download()).pixels;
  const diff = changed(input, inpainted);
  // Repainted where the brush went (the model's latents are 8 px cells, so a little past the
  // stroke's edge), never elsewhere: outside the mask every pixel is the input's.
  expect(outside(diff, capsule(size, a, b, 12 + 8 * Math.SQRT2))).toBe(0);
  expect(count(diff)).toBeGreaterThan(count(painted) / 2);

  await editor.undoButton.click();
  await expect(editor.canvas.getByRole('img', { name: 'Result image' })).toHaveCount(0);
  await expect.poll(async () => count(await brush.tinted(size))).toBe(count(painted));
  await editor.redoButton.click();
  await expect(editor.historyStep(1, 'Inpaint')).toHaveAttribute('aria-current', 'step');
  expect(count(changed(inpainted, (await editor.download()).pixels))).toBe(0);

  // The mask is kept with its step in the saved session: after a reload, undo still gives it back.
  const docs = new Documents(page);
  await docs.saved();
  await page.reload();
  await expect(docs.restored).toContainText('1 document, 1 step');
  expect(count(changed(inpainted, (await editor.download()).pixels))).toBe(0);
  await editor.chooseOperation('Inpaint');
  await editor.undoButton.click();
  await expect.poll(async () => count(await brush.tinted(size))).toBe(count(painted));
});

/** Picture `index` of a server job making `count` pictures from SEED: the witness for the grid. */
async function serverPicture(count: number, index: number) {
  const params = { model: 'tiny', prompt: PROMPT, seed: SEED, steps: 2, width: 64, height: 64 };
  const job = await api.createJob(null, {
    steps: [{ op: 'generate', params: { ...params, count } }],
  });
  for await (const event of api.jobEvents(job.id))
    if (event.type === 'failed') throw new Error(event.error.message);
  return decode(new Uint8Array(await (await api.jobResult(job.id, { index })).arrayBuffer()));
}

test('count 3 on the server shows a grid of three pictures; picking the second continues from it, the others stay, after a reload too', async ({
  page,
}) => {
  const { editor, panel } = await openGenerate(page);
  await panel.prompt.fill(PROMPT);
  await editor.setSlider('Steps', 2);
  await editor.setSlider('Images', 3);
  await panel.fixSeed(SEED);
  await editor.runOn('Server');
  await editor.run(1, 'Generate');

  const grid = editor.controls.getByRole('list', { name: 'Variations' });
  const tiles = grid.getByRole('button');
  await expect(tiles).toHaveCount(3);
  for (const [k, tile] of (await tiles.all()).entries())
    await expect(tile).toHaveAccessibleName(`Variation ${k + 1}, seed ${SEED + k}`);
  await expect(tiles.nth(0)).toHaveAttribute('aria-pressed', 'true');
  // Three distinct pictures: their thumbnails differ.
  const thumbs = grid.locator('img');
  await expect(thumbs).toHaveCount(3);
  const sources = await thumbs.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
  expect(new Set(sources).size).toBe(3);

  await tiles.nth(1).click();
  await expect(tiles.nth(1)).toHaveAttribute('aria-pressed', 'true');
  const picked = await editor.download();
  expect(maxAbsDiff(picked.pixels, await serverPicture(3, 1))).toBe(0);
  expect(maxAbsDiff(picked.pixels, await serverPicture(3, 0))).toBeGreaterThan(0);
  // The step now is the picture shown: its own seed, one picture, in the PNG's parameters too.
  const texts = (await readPngText(new Uint8Array(picked.bytes))).texts;
  const parameters = texts.find((t) => t.keyword === 'parameters')!.text;
  expect(parseSdParameters(parameters).params).toMatchObject({ seed: SEED + 1 });
  // History keeps one step, and its other pictures stay in the grid to be picked later.
  await expect(editor.historyStep(1, 'Generate')).toBeVisible();
  await expect(editor.historyStep(2, 'Generate')).toHaveCount(0);
  await expect(thumbs).toHaveCount(3);
  await tiles.nth(0).click();
  await expect(tiles.nth(0)).toHaveAttribute('aria-pressed', 'true');
  expect(maxAbsDiff((await editor.download()).pixels, await serverPicture(3, 0))).toBe(0);

  // The saved session keeps the other pictures: after a reload the grid is whole and pickable.
  const docs = new Documents(page);
  await docs.saved();
  await page.reload();
  await expect(docs.restored).toContainText('1 document, 1 step');
  await expect(tiles).toHaveCount(3);
  await expect(tiles.nth(0)).toHaveAttribute('aria-pressed', 'true');
  await tiles.nth(2).click();
  await expect(tiles.nth(2)).toHaveAttribute('aria-pressed', 'true');
  expect(maxAbsDiff((await editor.download()).pixels, await serverPicture(3, 2))).toBe(0);
});
