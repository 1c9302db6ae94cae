import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import type { Page } from '@playwright/test';
import { decode, maxAbsDiff, photoPng } from './fixtures/images';
import { LoupeServer } from './fixtures/loupe-server';
import { expect, test as base } from './fixtures/test';
import { Documents } from './pages/documents';

const WEB_DIST = resolve(import.meta.dirname, '../apps/web/dist');

/**
 * The fixtures, with the worker's server serving its own copy of the built app, so the update
 * test can put a new build's sw.js there without touching apps/web/dist.
 */
const test = base.extend<object, { webDir: string; workerServer: LoupeServer }>({
  webDir: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = await mkdtemp(join(tmpdir(), 'loupe-offline-web-'));
      await cp(WEB_DIST, dir, { recursive: true });
      await use(dir);
      await rm(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  workerServer: [
    async ({ webDir }, use) => {
      const server = new LoupeServer({ LOUPE_WEB_DIR: webDir });
      await server.start();
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

// The one spec with the app's service worker: every other spec blocks it (playwright.config.ts).
// Each test has its own browser context, so nothing this one caches reaches another test.
test.use({ serviceWorkers: 'allow' });

const INVERT = { op: 'invert' } as const;
const BRIGHTER = {
  op: 'adjust',
  params: { exposure: 1, contrast: 0, saturation: 0, temperature: 0, tint: 0, gamma: 1 },
} as const;

/** Resolves once a service worker controls the page (the first install claims it). */
function controlled(page: Page): Promise<void> {
  return page.evaluate(() =>
    navigator.serviceWorker.controller
      ? undefined
      : new Promise<void>((done) =>
          navigator.serviceWorker.addEventListener('controllerchange', () => done(), {
            once: true,
          }),
        ),
  );
}

/** The page's shell caches (`loupe-shell-<version>`), by version. */
function shellVersions(page: Page): Promise<string[]> {
  return page.evaluate(async () =>
    (await caches.keys())
      .filter((n) => n.startsWith('loupe-shell-'))
      .map((n) => n.slice('loupe-shell-'.length)),
  );
}

/** What the built app consists of, as URLs: what the worker must have cached. */
async function builtShell(webDir: string, origin: string): Promise<string[]> {
  const entries = await readdir(webDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(webDir, resolve(e.parentPath, e.name)).split(sep).join('/'))
    .filter((path) => path !== 'sw.js' && !path.endsWith('.map'))
    .map((path) => `${origin}/${path}`)
    .sort();
}

test('with the server stopped the app reloads from its service worker and edits run in the browser', async ({
  editor,
  server,
  api,
  page,
  webDir,
}) => {
  const input = await photoPng(16);
  const photo = { name: 'photo.png', mimeType: 'image/png', buffer: input };
  // Computed now: the server will be gone when the offline result needs checking.
  const reference = await decode((await api.edit(input, [INVERT, BRIGHTER])).bytes);

  // Online: the worker installs and claims the page; two browser runs keep their models.
  await controlled(page);
  await editor.open(photo, { width: 16, height: 16 });
  await editor.runOn('Browser');
  await editor.chooseOperation('Invert');
  await editor.run(1, 'Invert');
  await editor.chooseOperation('Adjust');
  await editor.setSlider('Exposure', 1);
  await editor.run(2, 'Adjust');

  // The caches themselves: exactly the built app in this build's shell cache, beside the models.
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const shell = names.find((n) => n.startsWith('loupe-shell-'))!;
    const keys = await (await caches.open(shell)).keys();
    return { names, files: keys.map((r) => r.url).sort() };
  });
  expect(cached.names).toContain('loupe-models-v1');
  expect(cached.files).toEqual(await builtShell(webDir, server.url));
  await editor.gpu.open();
  await expect(editor.gpu.value(editor.gpu.local, 'Offline')).toHaveText(
    'Ready: the app and 2 models are kept for offline use',
  );

  // Saved before the server goes: the reload must bring the session back from IndexedDB (a
  // reload before the debounced save would show the empty state instead, depending on timing).
  const docs = new Documents(page);
  await docs.saved();

  await server.stop();
  try {
    await page.reload();
    // The shell from the cache and the session from IndexedDB, with no server.
    await expect(docs.restored).toContainText('Restored your last session: 1 document, 2 steps');
    await expect(editor.historyStep(2, 'Adjust')).toHaveAttribute('aria-current', 'step');
    await docs.startFresh.click();
    await expect(page.getByRole('heading', { name: 'Drop an image to start' })).toBeVisible();
    // From the cache, with the headers it was cached with: still cross-origin isolated (WASM threads).
    expect(
      await page.evaluate(() => navigator.serviceWorker.controller !== null && crossOriginIsolated),
    ).toBe(true);
    await expect(editor.serverDot).toHaveAccessibleName('Server offline', { timeout: 15_000 });
    await expect(editor.placement).not.toContainText('Checking this device');

    await editor.open(photo, { width: 16, height: 16 });
    await expect(editor.serverUnreachable).toBeVisible();
    await editor.chooseOperation('Invert');
    await expect(editor.placement).toHaveText(
      'Runs on: Browser — the server is unreachable, so this edit runs on this device',
    );
    await editor.run(1, 'Invert');
    await editor.chooseOperation('Adjust');
    await editor.setSlider('Exposure', 1);
    await editor.run(2, 'Adjust');
    expect(await editor.stepRanOn(2, 'Adjust')).toContain('Browser');
    const { pixels } = await editor.download();
    expect(maxAbsDiff(pixels, reference)).toBeLessThanOrEqual(1);
  } finally {
    await server.start();
  }
});

test('a new build waits: the app says so and reloads into it only when asked, keeping the work', async ({
  editor,
  page,
  webDir,
}) => {
  await controlled(page);
  const [version] = await shellVersions(page);
  expect(version).toMatch(/^[0-9a-f]{16}$/);
  await editor.open(
    { name: 'photo.png', mimeType: 'image/png', buffer: await photoPng(16) },
    { width: 16, height: 16 },
  );

  // A new build on the server: the same shell under another version (sw.js is all that differs).
  const swFile = join(webDir, 'sw.js');
  const original = await readFile(swFile, 'utf8');
  const next = 'e2e0000000update';
  expect(original).toContain(version);
  await writeFile(swFile, original.replaceAll(version!, next));
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    const notice = page.getByRole('status', { name: 'Update' });
    await expect(notice).toContainText('A new version is ready');
    // The session is saved in this browser, so the open image survives the reload.
    await expect(notice).toContainText(
      'Your work is saved in this browser and comes back after the reload.',
    );
    // Waiting, not taken over: the open image is still here and the old build still serves.
    await expect(editor.dimensions).toHaveText('16 × 16');
    expect(await shellVersions(page)).toEqual(expect.arrayContaining([version, next]));

    // The page reloads itself once the new build has taken over (its `controllerchange`).
    const reloaded = page.waitForEvent('framenavigated', {
      predicate: (f) => f === page.mainFrame(),
    });
    await notice.getByRole('button', { name: 'Reload', exact: true }).click();
    await reloaded;
    // Reload wrote the session before the new build took over: the image is back in it.
    await expect(editor.dimensions).toHaveText('16 × 16');
    await expect(notice).toBeHidden();
    // Served by the new build, which deleted the old build's cache when it took over.
    expect(await shellVersions(page)).toEqual([next]);
  } finally {
    await writeFile(swFile, original);
  }
});
