/* global URL */
// Screenshots of the main states for docs/screenshots (README), in real headless Chromium:
//   cd apps/web && npx vite build && node scripts/screenshots.mjs
// Everything is real: the built server (pnpm build) serves the app and the API on a free port,
// with the real models; nothing shown is made up.
import { chromium } from '@playwright/test';
import { mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRealServer } from './real-server.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const out = resolve(here, '../../../docs/screenshots');
mkdirSync(out, { recursive: true });
const pnpm = resolve(here, '../../../node_modules/.pnpm');
const slim = readdirSync(pnpm).find((d) => d.startsWith('@upscalerjs+esrgan-slim@'));
const FIXTURE = resolve(pnpm, slim, 'node_modules/@upscalerjs/esrgan-slim/assets/fixture.png');
const SECOND = resolve(
  pnpm,
  slim,
  'node_modules/@upscalerjs/esrgan-slim/assets/samples/2x/result.png',
);

const { server, url } = await startRealServer();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--enable-unsafe-webgpu',
    '--use-webgpu-adapter=swiftshader',
    '--enable-features=Vulkan',
  ],
});
const only = process.argv[2];
const shot = async (page, name) => {
  await page.screenshot({ path: resolve(out, `${name}.png`) });
  console.log('wrote', name);
};

async function newPage(theme = 'dark', viewport = { width: 1440, height: 900 }) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme: theme });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(url);
  return page;
}

try {
  if (!only || only === 'empty') {
    const page = await newPage('dark');
    await page.getByRole('button', { name: 'Open image' }).first().waitFor();
    await page.waitForTimeout(800);
    await shot(page, 'empty');
    await page.context().close();
  }
  if (!only || only === 'comparison') {
    const page = await newPage('dark');
    await page.locator('input[type=file]').setInputFiles(FIXTURE);
    await page.getByRole('radio', { name: 'Upscale' }).check();
    await page.getByRole('combobox', { name: 'Scale', exact: true }).selectOption('4');
    await page.getByRole('radio', { name: 'Browser' }).check();
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('button', { name: /Step 1: Upscale/ }).waitFor({ timeout: 120_000 });
    await page.getByRole('slider', { name: 'Comparison split' }).focus();
    await page.keyboard.press('Shift+ArrowLeft');
    await page.getByRole('button', { name: 'Actual pixels (1:1)' }).click();
    await page.waitForTimeout(500);
    await shot(page, 'comparison');
    await page.getByRole('radio', { name: 'Side by side' }).click();
    await page.getByRole('button', { name: 'Fit to screen' }).click();
    await page.waitForTimeout(300);
    await shot(page, 'side-by-side');
    await page.context().close();
  }
  if (!only || only === 'processing') {
    const page = await newPage('light');
    await page.locator('input[type=file]').setInputFiles(FIXTURE);
    await page.getByRole('radio', { name: 'Upscale' }).check();
    await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('thick');
    await page.getByRole('combobox', { name: 'Scale', exact: true }).selectOption('4');
    await page.getByRole('radio', { name: 'Server' }).check();
    await page.getByRole('button', { name: 'Run' }).click();
    await page
      .getByText(/\d+\/\d+ tiles/)
      .first()
      .waitFor({ timeout: 60_000 });
    await shot(page, 'processing');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Run' }).waitFor();
    await page.context().close();
  }
  if (!only || only === 'gpu') {
    const page = await newPage('dark');
    await page.locator('input[type=file]').setInputFiles(FIXTURE);
    // A real in-browser run first, so the cache list shows a downloaded model with its license.
    // Forced onto SwiftShader WebGPU (the policy would pick WASM): the panel then reports it.
    await page.getByRole('button', { name: 'GPU status' }).click();
    await page.getByRole('radio', { name: 'WebGPU' }).check();
    await page.getByRole('button', { name: 'Close GPU status' }).click();
    await page.getByRole('radio', { name: 'Sepia' }).check();
    await page.getByRole('radio', { name: 'Browser' }).check();
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('button', { name: /Step 1: Sepia/ }).waitFor({ timeout: 120_000 });
    console.log(
      'history row:',
      await page.getByRole('button', { name: /Step 1: Sepia/ }).textContent(),
    );
    await page.getByRole('button', { name: 'GPU status' }).click();
    await page.getByRole('table', { name: 'Server models' }).waitFor();
    await page.waitForTimeout(1000);
    await shot(page, 'gpu-panel');
    await page.context().close();
  }
  if (!only || only === 'phone') {
    const page = await newPage('light', { width: 390, height: 844 });
    await page.locator('input[type=file]').setInputFiles(FIXTURE);
    await page.waitForTimeout(800);
    await shot(page, 'phone');
    await page.context().close();
  }
  if (!only || only === 'routing') {
    // Auto with both estimates in the placement note (the time model, #12).
    const page = await newPage('dark');
    await page.locator('input[type=file]').setInputFiles(FIXTURE);
    await page.getByRole('radio', { name: 'Upscale' }).check();
    await page.getByRole('combobox', { name: 'Scale', exact: true }).selectOption('4');
    await page.getByRole('status', { name: 'Placement' }).getByText(/≈/).waitFor();
    await shot(page, 'routing-estimates');
    await page.context().close();
  }
  if (!only || only === 'preview') {
    // Mid-drag: the result pane shows the live preview, badged Preview, with no new history step.
    const page = await newPage('dark');
    await page.locator('input[type=file]').setInputFiles(FIXTURE);
    await page.getByRole('radio', { name: 'Adjust' }).check();
    const slider = page.getByRole('slider', { name: 'Exposure', exact: true });
    const box = await slider.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 8 });
    await page.getByText('Preview', { exact: true }).first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await shot(page, 'live-preview');
    await page.mouse.up();
    await page.context().close();
  }
  if (!only || only === 'crop') {
    const page = await newPage('light');
    await page.locator('input[type=file]').setInputFiles(FIXTURE);
    await page.getByRole('radio', { name: 'Crop' }).check();
    await page.waitForTimeout(500);
    await shot(page, 'crop');
    await page.context().close();
  }
  if (!only || only === 'mask-brush') {
    // Erase: a stroke painted over part of the picture, the brush's outline where it rests.
    const page = await newPage('dark');
    await page.locator('input[type=file]').setInputFiles(FIXTURE);
    await page.getByRole('radio', { name: 'Erase object' }).check();
    const area = page.getByRole('application', { name: 'Mask brush' });
    const picture = await page.getByRole('img', { name: 'Original image' }).boundingBox();
    const at = (fx, fy) => [picture.x + picture.width * fx, picture.y + picture.height * fy];
    await area.hover();
    await page.mouse.move(...at(0.3, 0.35));
    await page.mouse.down();
    for (const [fx, fy] of [
      [0.45, 0.3],
      [0.6, 0.42],
      [0.55, 0.6],
      [0.4, 0.55],
    ])
      await page.mouse.move(...at(fx, fy), { steps: 6 });
    await page.mouse.up();
    await page.mouse.move(...at(0.72, 0.5));
    await page.getByRole('slider', { name: 'Feather' }).fill('3');
    await page.mouse.move(...at(0.72, 0.5));
    await page.waitForTimeout(500);
    await shot(page, 'mask-brush');
    await page.context().close();
  }
  if (!only || only === 'documents') {
    // A picture opened over one with steps opens beside it; a reload restores both.
    const page = await newPage('dark');
    await page.locator('input[type=file]').setInputFiles(FIXTURE);
    await page.getByRole('radio', { name: 'Invert' }).check();
    await page.getByRole('radio', { name: 'Server' }).check();
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('button', { name: /Step 1: Invert/ }).waitFor({ timeout: 60_000 });
    await page.locator('input[type=file]').setInputFiles(SECOND);
    await page.getByRole('tablist', { name: 'Documents' }).waitFor();
    await page.waitForTimeout(500);
    await shot(page, 'documents');
    await page.getByText('Saved in this browser').waitFor({ timeout: 30_000 });
    await page.reload();
    await page.getByRole('status', { name: 'Restored session' }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await shot(page, 'restored-session');
    await page.context().close();
  }
  if (!only || only === 'batch') {
    const page = await newPage('light');
    await page.locator('input[type=file]').setInputFiles([FIXTURE, SECOND]);
    await page.getByRole('list', { name: 'Batch queue' }).waitFor();
    await page.waitForTimeout(500);
    await shot(page, 'batch');
    await page.context().close();
  }
} finally {
  await browser.close();
  await server.stop();
}
