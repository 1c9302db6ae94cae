import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { tinyPipelineFixtures } from '../tools/models/src/diffusion/fixtures';
import { LoupeServer } from './fixtures/loupe-server';
import { EditorPage } from './pages/editor-page';
import { PromptPanel } from './pages/prompt-panel';

/**
 * The README's screenshots of the generative UI (docs/screenshots), in real Chromium against
 * the real server: `LOUPE_SCREENSHOTS=1 pnpm exec playwright test e2e/generate-screenshots.spec.ts`.
 * Off in the suite (it asserts little). The pictures come from a random-weight test pipeline:
 * noise, and captioned so.
 */
const OUT = resolve(import.meta.dirname, '../docs/screenshots');
test.skip(process.env.LOUPE_SCREENSHOTS !== '1', 'screenshots on demand only');
test.use({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });

let dir: string;
let server: LoupeServer;
test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loupe-shots-generate-'));
  cpSync(tinyPipelineFixtures().path('optimum-fp32'), join(dir, 'tiny'), { recursive: true });
  server = new LoupeServer({ LOUPE_DIFFUSION_DIR: dir });
  await server.start();
});
test.afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('prompt panel, and a run with its step preview in the canvas', async ({ page }) => {
  const editor = new EditorPage(page);
  await editor.goto(server.url);
  const panel = new PromptPanel(page, editor);
  await panel.startFromNothing();
  await panel.prompt.fill('a lighthouse at dusk, oil painting, warm light');
  await panel.negativePrompt.fill('blurry, lowres');
  await expect(panel.tokens).toHaveAttribute('data-exact', 'true');
  await editor.setSlider('Steps', 4);
  await panel.size(256, 256);
  await panel.fixSeed(1234);
  await editor.runOn('Server');
  await editor.run(1, 'Generate');
  await page.locator('#prompt-title').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.querySelector('#prompt-title')!.scrollIntoView());
  await page.screenshot({ path: resolve(OUT, 'prompt-panel.png') });

  await editor.setSlider('Steps', 150);
  await panel.size(512, 512);
  await editor.runButton.click();
  await expect(editor.canvas.getByText(/^Preview · step (1\d|[2-9]\d)\/150$/)).toBeVisible();
  await page.screenshot({ path: resolve(OUT, 'generate-preview.png') });
  await panel.cancelGeneration.click();
  await expect(editor.runButton).toBeEnabled();
});

test('a variations grid after a run of three', async ({ page }) => {
  const editor = new EditorPage(page);
  await editor.goto(server.url);
  const panel = new PromptPanel(page, editor);
  await panel.startFromNothing();
  await panel.prompt.fill('a lighthouse at dusk, oil painting, warm light');
  await editor.setSlider('Steps', 4);
  await panel.size(256, 256);
  await editor.setSlider('Images', 3);
  await panel.fixSeed(1234);
  await editor.runOn('Server');
  await editor.run(1, 'Generate');
  const grid = editor.controls.getByRole('list', { name: 'Variations' });
  await expect(grid.locator('img')).toHaveCount(3);
  await grid.getByRole('button', { name: 'Variation 2, seed 1235' }).click();
  await page.evaluate(() => document.querySelector('#variations-title')!.scrollIntoView());
  await page.screenshot({ path: resolve(OUT, 'variations.png') });
});
