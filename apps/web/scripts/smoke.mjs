/* global URL, Buffer, DataTransfer, File, atob, document, createImageBitmap, Blob, OffscreenCanvas -- page code */
// Drives the built editor in real Chromium against mock-server.mjs and checks the flows the
// e2e suite will exercise: drop upload, bad files keep the picture, chained browser edits with
// undo/redo by keyboard, cancel (browser and server) recovering, split slider by keyboard.
//   cd apps/web && npx vite build && node scripts/smoke.mjs
import { chromium } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockServer } from './mock-server.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const pnpm = resolve(here, '../../../node_modules/.pnpm');
const slim = readdirSync(pnpm).find((d) => d.startsWith('@upscalerjs+esrgan-slim@'));
const FIXTURE = resolve(pnpm, slim, 'node_modules/@upscalerjs/esrgan-slim/assets/fixture.png');

const { server, url } = await startMockServer();
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

const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(url);
const dims = page.getByTestId('image-dimensions');

// Drag and drop anywhere on the page.
const bytes = readFileSync(FIXTURE).toString('base64');
const drop = async (name, type, b64) => {
  const dt = await page.evaluateHandle(
    ({ name, type, b64 }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type }));
      return dt;
    },
    { name, type, b64 },
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
};
await drop('flower.png', 'image/png', bytes);
await dims.waitFor();
check('drop opens the image', (await dims.textContent()) === '128 × 128');

// A non-image and a truncated PNG are refused; the picture stays.
await drop('notes.txt', 'text/plain', Buffer.from('hello').toString('base64'));
await page.getByRole('alert').filter({ hasText: 'not a supported image' }).waitFor();
await drop('broken.png', 'image/png', readFileSync(FIXTURE).subarray(0, 400).toString('base64'));
await page.getByRole('alert').filter({ hasText: 'damaged' }).waitFor();
check(
  'bad files keep the current image',
  (await page.locator('header').textContent()).includes('flower.png'),
);
while (await page.getByRole('button', { name: 'Dismiss' }).count())
  await page.getByRole('button', { name: 'Dismiss' }).first().click();

// Chain: upscale ×2 then invert, in the browser.
await page.getByRole('radio', { name: 'Browser' }).check();
await page.getByRole('radio', { name: 'Upscale' }).check();
await page.getByRole('button', { name: 'Run' }).click();
await page.getByRole('button', { name: /Step 1: Upscale/ }).waitFor({ timeout: 60_000 });
await page.getByRole('radio', { name: 'Invert' }).check();
await page.getByRole('button', { name: 'Run' }).click();
await page.getByRole('button', { name: /Step 2: Invert/ }).waitFor({ timeout: 60_000 });
check(
  'chained result is 256 × 256',
  (await dims.textContent()).endsWith('256 × 256'),
  await dims.textContent(),
);
await page.locator('body').click({ position: { x: 5, y: 300 } });
await page.keyboard.press('Control+z');
await page.keyboard.press('Control+z');
check(
  'Ctrl+Z twice returns to the original',
  (await dims.textContent()) === '128 × 128',
  await dims.textContent(),
);
await page.keyboard.press('Control+Shift+Z');
check(
  'Shift+Ctrl+Z redoes',
  (await dims.textContent()).endsWith('256 × 256'),
  await dims.textContent(),
);
await page.getByRole('button', { name: 'Redo' }).click();
check(
  'Redo button',
  (await page.getByRole('button', { name: /Step 2: Invert/ }).getAttribute('aria-current')) ===
    'step',
);

// Re-run step 1 with a different scale: step 2 is re-applied on top, history keeps two steps.
await page.getByRole('button', { name: 'Edit step 1' }).click();
await page.getByRole('combobox', { name: 'Scale', exact: true }).selectOption('3');
await page.getByRole('button', { name: 'Run' }).click();
await page.getByRole('button', { name: 'Run' }).waitFor({ timeout: 60_000 });
await page.waitForFunction(
  () =>
    document.querySelector('[data-testid="image-dimensions"]')?.textContent?.endsWith('384 × 384'),
  null,
  { timeout: 60_000 },
);
check(
  're-running step 1 at 3× re-applies step 2',
  (await page.getByRole('list', { name: 'History' }).getByRole('listitem').count()) === 3 &&
    (await page.getByRole('button', { name: /Step 2: Invert/ }).getAttribute('aria-current')) ===
      'step',
);
await page.getByRole('button', { name: 'Edit step 1' }).click();
await page.getByRole('combobox', { name: 'Scale', exact: true }).selectOption('2');
await page.getByRole('button', { name: 'Run' }).click();
await page.waitForFunction(
  () =>
    document.querySelector('[data-testid="image-dimensions"]')?.textContent?.endsWith('256 × 256'),
  null,
  { timeout: 60_000 },
);

// Split slider by keyboard.
const slider = page.getByRole('slider', { name: 'Comparison split' });
await slider.focus();
await page.keyboard.press('Home');
check('split slider goes to 0 with Home', (await slider.getAttribute('aria-valuenow')) === '0');
await page.keyboard.press('ArrowRight');
check('ArrowRight moves it by 1', (await slider.getAttribute('aria-valuenow')) === '1');

// Synced zoom: both side-by-side images have the same box.
await page.getByRole('radio', { name: 'Side by side' }).click();
await page.getByRole('button', { name: 'Zoom in' }).click();
const boxes = await Promise.all(
  ['Original image', 'Result image'].map((n) => page.getByRole('img', { name: n }).boundingBox()),
);
check(
  'side-by-side views share zoom',
  Math.abs(boxes[0].width - boxes[1].width) < 0.01 && boxes[0].width > 256,
  JSON.stringify(boxes.map((b) => b.width)),
);
await page.getByRole('button', { name: 'Actual pixels (1:1)' }).click();
const actual = await page.getByRole('img', { name: 'Result image' }).boundingBox();
check('1:1 shows the 256 px result at 256 CSS px', actual.width === 256, String(actual.width));

// Cancel a server job: the UI returns to Run and nothing is added.
await page.getByRole('radio', { name: 'Server' }).check();
await page.getByRole('radio', { name: 'Blur' }).check();
await page.getByRole('button', { name: 'Run' }).click();
await page.getByText(/3\/16 tiles/).waitFor();
await page.getByRole('button', { name: 'Cancel' }).click();
await page.getByRole('button', { name: 'Run' }).waitFor();
check(
  'server cancel recovers, history unchanged',
  (await page.getByRole('list', { name: 'History' }).getByRole('listitem').count()) === 3,
);

// Cancel a browser run with Escape.
await page.getByRole('radio', { name: 'Browser' }).check();
await page.getByRole('radio', { name: 'Upscale' }).check();
await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('thick');
await page.getByRole('combobox', { name: 'Scale', exact: true }).selectOption('4');
await page.getByRole('button', { name: 'Run' }).click();
await page.getByRole('button', { name: 'Cancel' }).waitFor();
await page.waitForTimeout(1500);
await page.keyboard.press('Escape');
await page.getByRole('button', { name: 'Run' }).waitFor({ timeout: 30_000 });
check(
  'browser cancel recovers',
  (await page.getByRole('list', { name: 'History' }).getByRole('listitem').count()) === 3,
);

// Download names say what was done.
const [download] = await Promise.all([
  page.waitForEvent('download'),
  page.getByRole('button', { name: 'Download' }).click(),
]);
check(
  'download name',
  download.suggestedFilename() === 'flower_upscale-slim-x2_invert.png',
  download.suggestedFilename(),
);
const saved = readFileSync(await download.path());
check(
  'downloaded PNG is 256 × 256',
  saved.readUInt32BE(16) === 256 && saved.readUInt32BE(20) === 256,
);

// 1:1 is pixel-exact: on screen, the result equals the downloaded PNG and the original is its
// nearest-neighbour 2× enlargement, pixel for pixel.
await page.getByRole('radio', { name: 'Side by side' }).click();
await page.getByRole('button', { name: 'Fit to screen' }).click();
await page.getByRole('button', { name: 'Actual pixels (1:1)' }).click();
await page.waitForTimeout(300);
const grab = async (name) =>
  (await page.screenshot({ clip: await page.getByRole('img', { name }).boundingBox() })).toString(
    'base64',
  );
const mismatches = await page.evaluate(
  async ({ shownResult, shownOriginal, result, original }) => {
    const pixels = async (b64) => {
      const bitmap = await createImageBitmap(
        new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]),
        { premultiplyAlpha: 'none', colorSpaceConversion: 'none' },
      );
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      return { w: bitmap.width, data: ctx.getImageData(0, 0, bitmap.width, bitmap.height).data };
    };
    const [sr, so, r, o] = await Promise.all(
      [shownResult, shownOriginal, result, original].map(pixels),
    );
    let badR = 0;
    let badO = 0;
    let maxR = 0;
    let maxO = 0;
    for (let y = 0; y < 256; y++)
      for (let x = 0; x < 256; x++)
        for (let c = 0; c < 3; c++) {
          const dr = Math.abs(sr.data[(y * sr.w + x) * 4 + c] - r.data[(y * 256 + x) * 4 + c]);
          const dO = Math.abs(
            so.data[(y * so.w + x) * 4 + c] - o.data[((y >> 1) * 128 + (x >> 1)) * 4 + c],
          );
          if (dr) badR++;
          if (dO) badO++;
          maxR = Math.max(maxR, dr);
          maxO = Math.max(maxO, dO);
        }
    return { badR, badO, maxR, maxO, sizes: [sr.w, so.w] };
  },
  {
    shownResult: await grab('Result image'),
    shownOriginal: await grab('Original image'),
    result: saved.toString('base64'),
    original: bytes,
  },
);
check(
  '1:1 is pixel-exact for result and enlarged original',
  mismatches.badR + mismatches.badO === 0,
  JSON.stringify(mismatches),
);

// Hold O to flash the original over the result.
await page.getByRole('radio', { name: 'Split' }).click();
await page.locator('body').click({ position: { x: 5, y: 300 } });
await page.keyboard.down('o');
check(
  'holding O shows the original',
  (await page.getByRole('img', { name: 'Result image' }).count()) === 1 &&
    (await page.getByRole('slider', { name: 'Comparison split' }).count()) === 0,
);
await page.keyboard.up('o');
check(
  'releasing O brings the slider back',
  (await page.getByRole('slider', { name: 'Comparison split' }).count()) === 1,
);

// The server goes away: a notice, Auto routes to the browser, a browser run still works.
await page.route(/\/(ready|api\/.*)$/, (route) => route.abort('connectionrefused'));
await page.getByRole('radio', { name: 'Auto' }).check();
await page.getByText("The Loupe server can't be reached").waitFor({ timeout: 15_000 });
const note = await page.getByRole('status', { name: 'Placement' }).textContent();
check(
  'Auto falls back to the browser and says why',
  note.startsWith('Runs on: Browser') && note.includes('unreachable'),
  note,
);
await page.getByRole('radio', { name: 'Grayscale' }).check();
const t0 = Date.now();
await page.getByRole('button', { name: 'Run' }).click();
await page
  .getByRole('button', { name: /Step 3: Grayscale/ })
  .waitFor({ timeout: 90_000 })
  .catch(async (e) => {
    await page.screenshot({ path: '/tmp/smoke-failure.png' });
    throw e;
  });
// A cancelled browser run stops between tiles, so a slow tile still in flight delays the next run.
check('browser mode keeps working without the server', true, `${Date.now() - t0} ms`);
await page.getByRole('radio', { name: 'Server' }).check();
check(
  'forced Server says it is unavailable and disables Run',
  await page.getByRole('button', { name: 'Run' }).isDisabled(),
);

// Several files at once become a batch queue.
await page.unroute(/\/(ready|api\/.*)$/);
await page.evaluate(() => {});
const dt2 = await page.evaluateHandle((b64) => {
  const dt = new DataTransfer();
  for (const n of ['a.png', 'b.png'])
    dt.items.add(
      new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], n, { type: 'image/png' }),
    );
  return dt;
}, bytes);
await page.dispatchEvent('main', 'drop', { dataTransfer: dt2 });
await page
  .getByRole('list', { name: 'Batch queue' })
  .waitFor()
  .catch(async (e) => {
    await page.screenshot({ path: '/tmp/smoke-batch.png' });
    throw e;
  });
check(
  'two dropped files make a batch of two, the first opened',
  (await page.getByRole('list', { name: 'Batch queue' }).getByRole('listitem').count()) === 2 &&
    (await page.locator('header').textContent()).includes('a.png'),
);

await browser.close();
server.close();
console.log(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
