import { gradientPng } from './fixtures/images';
import { expect, test } from './fixtures/test';
import { Documents } from './pages/documents';

// Issue #12, defect 6: Auto weighed FLOPs against fixed lines ("a light edit", "heavy for this
// device") and never said what it expected. It now compares each side's predicted time and
// says both. Headless Chromium: WebGPU only on SwiftShader, so this device runs WASM on 2 cores.

const SECONDS = String.raw`[\d.]+ (s|min)`;

test('Auto says both estimates, and sends the edit to the quicker side', async ({ editor }) => {
  await editor.open(
    { name: 'wide.png', mimeType: 'image/png', buffer: await gradientPng(256, 160) },
    { width: 256, height: 160 },
  );
  await editor.runOn('Auto');

  // 256×160 through ESRGAN slim ×2 is ~18 GFLOP: seconds of WASM here, a fraction of one there.
  await editor.chooseOperation('Upscale');
  await expect(editor.placement).toHaveText(
    new RegExp(
      `^Runs on: Server — Server ≈ ${SECONDS}, this device ≈ ${SECONDS} \\(WASM: google swiftshader is software\\)$`,
    ),
  );
  await expect(editor.placement).toHaveAttribute('data-where', 'server');

  // An invert of the same picture: the upload alone would outlast it.
  await editor.chooseOperation('Invert');
  await expect(editor.placement).toHaveText(
    new RegExp(
      `^Runs on: Browser \\(WASM\\) — this device ≈ ${SECONDS}, Server ≈ ${SECONDS} \\(google swiftshader is software\\)$`,
    ),
  );
  await expect(editor.placement).toHaveAttribute('data-where', 'browser');
});

test("a browser run's measured speed is kept across a reload", async ({ editor, page }) => {
  await editor.open(
    { name: 'wide.png', mimeType: 'image/png', buffer: await gradientPng(256, 160) },
    { width: 256, height: 160 },
  );
  await editor.chooseOperation('Upscale');
  await editor.runOn('Browser');
  await editor.run(1, 'Upscale');

  // Saved first, so the reload deterministically brings the session back (not a race with the
  // debounced save); the measured speed must survive it either way.
  const docs = new Documents(page);
  await docs.saved();
  await page.reload();
  await expect(docs.restored).toContainText('1 document, 1 step');
  const stored = await page.evaluate(() => localStorage.getItem('loupe-throughput-v1'));
  const kept = JSON.parse(stored ?? '{}') as {
    compute?: { wasm?: Record<string, { work: number; seconds: number; samples: number }> };
  };
  const slim = kept.compute?.wasm?.['esrgan-slim-x2'];
  // 256×160 px × 445,088 FLOP per pixel, over the seconds the worker timed.
  expect(slim?.work).toBe(256 * 160 * 445_088);
  expect(slim?.samples).toBe(1);
});
