/* global URL, atob, document, createImageBitmap, Blob, OffscreenCanvas -- these run in the page */
// Drives the built editor served by a real apps/server (LOUPE_WEB_DIR=apps/web/dist):
// a server job and a browser run of the same upscale must agree within 1 LSB, and the GPU
// panel's Offload/Release must change what the server reports.
//   LOUPE_URL=http://127.0.0.1:8787 node scripts/real-server-check.mjs
import { chromium } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const pnpm = resolve(here, '../../../node_modules/.pnpm');
const slim = readdirSync(pnpm).find((d) => d.startsWith('@upscalerjs+esrgan-slim@'));
const FIXTURE = resolve(pnpm, slim, 'node_modules/@upscalerjs/esrgan-slim/assets/fixture.png');
const url = process.env.LOUPE_URL ?? 'http://127.0.0.1:8787';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
let failures = 0;
const check = (what, ok, detail = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
  if (!ok) failures++;
};
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(url);
await page.locator('input[type=file]').setInputFiles(FIXTURE);
await page.getByRole('radio', { name: 'Upscale' }).check();

const runOn = async (where) => {
  await page.getByRole('radio', { name: where }).check();
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Run' }).click();
  // Undo keeps the previous step 1 as a redo entry: wait for this run to finish, not for the row.
  await page.getByRole('button', { name: 'Run' }).waitFor({ timeout: 120_000 });
  await page.waitForFunction(() =>
    document.querySelector('[aria-current="step"]')?.textContent?.startsWith('1.'),
  );
  const row = await page.getByRole('button', { name: /Step 1: Upscale/ }).textContent();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  const png = readFileSync(await download.path()).toString('base64');
  await page.getByRole('button', { name: 'Undo' }).click();
  return { row, png, ms: Date.now() - t0 };
};
const server = await runOn('Server');
check(
  'server job ran on the server',
  server.row.includes('Server'),
  `${server.row} in ${server.ms} ms`,
);
const local = await runOn('Browser');
check(
  'browser run ran in the browser',
  local.row.includes('Browser'),
  `${local.row} in ${local.ms} ms`,
);
const diff = await page.evaluate(
  async ([a, b]) => {
    const px = async (b64) => {
      const bm = await createImageBitmap(
        new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]),
        { premultiplyAlpha: 'none', colorSpaceConversion: 'none' },
      );
      const ctx = new OffscreenCanvas(bm.width, bm.height).getContext('2d');
      ctx.drawImage(bm, 0, 0);
      return ctx.getImageData(0, 0, bm.width, bm.height);
    };
    const [x, y] = await Promise.all([px(a), px(b)]);
    let max = 0;
    for (let i = 0; i < x.data.length; i++) max = Math.max(max, Math.abs(x.data[i] - y.data[i]));
    return { max, sizes: [x.width, x.height, y.width, y.height] };
  },
  [server.png, local.png],
);
check('server and browser pixels agree within 1 LSB', diff.max <= 1, JSON.stringify(diff));

await page.getByRole('button', { name: 'GPU status' }).click();
const table = page.getByRole('table', { name: 'Server models' });
await table.waitFor();
const residencies = async () =>
  table
    .locator('tr[data-residency]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-residency')));
const before = await residencies();
await page.getByRole('button', { name: 'Offload', exact: true }).click();
await page.waitForTimeout(2500);
const afterOffload = await residencies();
await page.getByRole('button', { name: 'Release', exact: true }).click();
await page.waitForTimeout(2500);
const afterRelease = await residencies();
check(
  'Offload moves models off the device',
  !afterOffload.includes('device'),
  `${before} → ${afterOffload}`,
);
check(
  'Release unloads them',
  afterRelease.every((r) => r === 'unloaded'),
  String(afterRelease),
);
await page.screenshot({
  path: resolve(here, '../../../docs/screenshots/gpu-panel-real-server.png'),
});

await browser.close();
console.log(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
