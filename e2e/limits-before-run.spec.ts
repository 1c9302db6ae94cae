import type { Page, Request } from '@playwright/test';
import { gradientPng } from './fixtures/images';
import { LoupeServer } from './fixtures/loupe-server';
import { expect, test as base } from './fixtures/test';

// Issue #12, defect 5: the output size is known before Run, but the server's limit was reported
// only after an upload, and a forced Browser run of an edit too big for the device started
// its tiles unchecked. Both are now reported before Run, and Run is off.

/** 50,000 px: a 160×120 picture upscaled ×2 (76,800 px) is over it. */
const MAX_OUTPUT_PIXELS = 50_000;

const test = base.extend<object, { workerServer: LoupeServer }>({
  workerServer: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = new LoupeServer({ LOUPE_MAX_OUTPUT_PIXELS: String(MAX_OUTPUT_PIXELS) });
      await server.start();
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

/** Requests that could carry a picture to the server. */
function watchUploads(page: Page): Request[] {
  const sent: Request[] = [];
  page.on('request', (r) => r.method() === 'POST' && sent.push(r));
  return sent;
}

test("a result over the server's limit is reported before Run; Auto runs it here instead", async ({
  editor,
  page,
  api,
}) => {
  expect((await api.client.limits()).maxOutputPixels).toBe(MAX_OUTPUT_PIXELS);
  const sent = watchUploads(page);
  await editor.open(
    { name: 'photo.png', mimeType: 'image/png', buffer: await gradientPng(160, 120) },
    { width: 160, height: 120 },
  );
  await editor.chooseOperation('Upscale');
  await editor.runOn('Server');
  await expect(editor.placement).toHaveText(
    "Runs on: Server — you chose Server, but the result, 320 × 240 (0.0768 MP), is over the server's 0.05 MP limit — choose Auto or Browser",
  );
  await expect(editor.runButton).toBeDisabled();

  await editor.runOn('Auto');
  await expect(editor.placement).toHaveText(
    "Runs on: Browser — the result, 320 × 240 (0.0768 MP), is over the server's 0.05 MP limit",
  );
  await expect(editor.placement).toHaveAttribute('data-where', 'browser');
  expect(sent).toEqual([]);
});

test('an edit too big for this device is reported before Run in Browser and Auto, and starts nothing', async ({
  editor,
  page,
}) => {
  const sent = watchUploads(page);
  await editor.open(
    { name: 'photo.png', mimeType: 'image/png', buffer: await gradientPng(64, 48) },
    { width: 64, height: 48 },
  );
  await editor.chooseOperation('Resize');
  await editor.selectParam('Resize by', 'Width and height');
  // 60000² is 3.6 GP: 14 GB of RGBA, past any browser tab and any server limit.
  await editor.setSlider('Width', 60000);
  await editor.setSlider('Height', 60000);

  await editor.runOn('Browser');
  await expect(editor.placement).toHaveText(
    /^Runs on: Browser — you chose Browser, but this edit needs ~\d+ MB and this device can spare ~\d+ MB$/,
  );
  await expect(editor.runButton).toBeDisabled();
  // Far past what the device has: no "run anyway".
  await expect(editor.runAnywayButton).toHaveCount(0);

  await editor.runOn('Auto');
  await expect(editor.placement).toHaveText(
    /^Runs on: Neither side — this edit needs ~\d+ MB where this device can spare ~\d+ MB, and the result, 60000 × 60000 \(3600 MP\), is over the server's 0\.05 MP limit$/,
  );
  await expect(editor.runButton).toBeDisabled();
  await expect(editor.progress).toHaveCount(0);
  expect(sent).toEqual([]);
});
