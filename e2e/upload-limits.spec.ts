import type { Request } from '@playwright/test';
import { DEFAULT_UPLOAD_LIMITS, ERROR_CODES } from '@loupe/shared';
import { patternPng, solidPng } from './fixtures/images';
import { LoupeServer } from './fixtures/loupe-server';
import { expect, test as base } from './fixtures/test';

// Far under the defaults (64 MB, 50 MP), so only the server's own numbers can refuse these files.
const MAX_UPLOAD_BYTES = 512 * 1024;
const MAX_INPUT_PIXELS = 2_000_000;

/** The fixtures, with the worker's server started with its own limits. */
const test = base.extend<object, { workerServer: LoupeServer }>({
  workerServer: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = new LoupeServer({
        LOUPE_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
        LOUPE_MAX_INPUT_PIXELS: String(MAX_INPUT_PIXELS),
      });
      await server.start();
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

/** Every request the page makes that could carry a file to the server. */
function watchUploads(requests: Request[]) {
  return (request: Request) => {
    if (request.method() !== 'GET' && request.method() !== 'HEAD') requests.push(request);
  };
}

test.describe('upload limits are the server’s own', () => {
  test('a file under the defaults but over the configured limits is refused in the browser, with the configured number, before any upload', async ({
    editor,
    page,
    api,
  }) => {
    // The witness: the server says it was started with these.
    const limits = await api.client.limits();
    expect([limits.maxUploadBytes, limits.maxInputPixels]).toEqual([
      MAX_UPLOAD_BYTES,
      MAX_INPUT_PIXELS,
    ]);
    const uploads: Request[] = [];
    page.on('request', watchUploads(uploads));
    await expect(page.getByText('up to 512 KB')).toBeVisible();

    // Every pixel differs from its neighbours, so the PNG stays large.
    const heavy = await patternPng(800, 800);
    expect(heavy.length).toBeGreaterThan(MAX_UPLOAD_BYTES);
    expect(heavy.length).toBeLessThan(DEFAULT_UPLOAD_LIMITS.maxUploadBytes);
    await editor.dropFiles([{ name: 'heavy.png', mimeType: 'image/png', buffer: heavy }]);
    const tooLarge = editor.errorNotice(ERROR_CODES.PAYLOAD_TOO_LARGE.title);
    await expect(tooLarge).toContainText('heavy.png');
    await expect(tooLarge).toContainText('the limit is 512 KB');

    // 2000 × 1001 is 2.002 MP: one row over, declared in the PNG header and refused before decoding.
    const wide = await solidPng(2000, 1001, [40, 90, 200]);
    expect(wide.length).toBeLessThan(MAX_UPLOAD_BYTES);
    await editor.dropFiles([{ name: 'wide.png', mimeType: 'image/png', buffer: wide }]);
    const tooManyPixels = editor.errorNotice(ERROR_CODES.IMAGE_TOO_LARGE.title);
    await expect(tooManyPixels).toContainText('wide.png is 2000 × 1001 (2.002 MP)');
    await expect(tooManyPixels).toContainText('the limit is 2 MP');
    await expect(page.getByText(/64 MB|50 MP/)).toHaveCount(0);
    await expect(editor.imageDetails).toHaveCount(0);

    // Exactly at the limit opens: the limit is the server's, not something stricter.
    await editor.open(
      {
        name: 'at-limit.png',
        mimeType: 'image/png',
        buffer: await solidPng(2000, 1000, [1, 2, 3]),
      },
      { width: 2000, height: 1000 },
    );
    expect(uploads.map((r) => `${r.method()} ${r.url()}`)).toEqual([]);
  });

  test('with the server unreachable the browser opens files with the shared defaults and reports no problem with them', async ({
    editor,
    page,
    server,
  }) => {
    await expect(page.getByText('up to 512 KB')).toBeVisible();
    const heavy = await patternPng(800, 800);
    expect(heavy.length).toBeGreaterThan(MAX_UPLOAD_BYTES);
    await server.stop();
    try {
      await editor.open(
        { name: 'heavy.png', mimeType: 'image/png', buffer: heavy },
        { width: 800, height: 800 },
      );
      await expect(editor.errorNotice(ERROR_CODES.PAYLOAD_TOO_LARGE.title)).toHaveCount(0);
      await expect(page.getByRole('alert').filter({ hasText: 'heavy.png' })).toHaveCount(0);
    } finally {
      await server.start();
    }
  });
});
