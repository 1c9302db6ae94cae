import { PROTOCOL_VERSION } from '@loupe/shared';
import { decode, flowerPng, maskPng, maxAbsDiff } from './fixtures/images';
import { expect, test } from './fixtures/test';

// The inference worker's script as Vite names it (apps/web/src/inference/worker.ts).
const WORKER_SCRIPT = /\/assets\/worker-[\w-]+\.js$/;
const SIZE = 160;
const HOLE = { x: 60, y: 50, width: 30, height: 24 };

test('erase: the browser worker (WASM) and the server give the same pixels', async ({
  editor,
  server,
}) => {
  const png = await flowerPng(SIZE);
  const maskFile = await maskPng(SIZE, SIZE, HOLE);

  const form = new FormData();
  form.set('image', new Blob([new Uint8Array(png)]), 'flower.png');
  form.set('mask', new Blob([new Uint8Array(maskFile)]), 'mask.png');
  form.set('op', 'erase');
  form.set('params', JSON.stringify({ algorithm: 'telea', radius: 5 }));
  const res = await fetch(`${server.url}/api/edit`, { method: 'POST', body: form });
  expect(res.status).toBe(200);
  const fromServer = await decode(new Uint8Array(await res.arrayBuffer()));

  const input = await decode(png);
  const mask = Array.from({ length: SIZE * SIZE }, (_, p) => {
    const [x, y] = [p % SIZE, Math.floor(p / SIZE)];
    const inside =
      x >= HOLE.x && x < HOLE.x + HOLE.width && y >= HOLE.y && y < HOLE.y + HOLE.height;
    return inside ? 255 : 0;
  });

  // The app's own worker script, started afresh and sent a run with a mask over the shared
  // protocol on WASM (the editor's mask brush comes later): a forced browser run.
  const { page } = editor;
  await expect
    .poll(() =>
      page.evaluate(
        (re) => performance.getEntriesByType('resource').some((e) => new RegExp(re).test(e.name)),
        WORKER_SCRIPT.source,
      ),
    )
    .toBe(true);
  const fromBrowser = await page.evaluate(
    async ({ re, v, size, rgba, maskBytes }) => {
      const url = performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .find((n) => new RegExp(re).test(n))!;
      const worker = new Worker(url, { type: 'module' });
      try {
        return await new Promise<{ data: number[]; placement: string; ep: string }>(
          (resolve, reject) => {
            worker.onmessage = ({ data: m }) => {
              if (m.type === 'result')
                resolve({
                  data: Array.from(m.image.data as Uint8Array),
                  placement: m.metadata.placement,
                  ep: m.metadata.ep,
                });
              else if (m.type === 'error') reject(new Error(`${m.error.code}: ${m.error.message}`));
            };
            worker.onerror = (e) => reject(new Error(e.message));
            worker.postMessage({
              v,
              id: 'erase-1',
              type: 'run',
              image: { width: size, height: size, data: new Uint8Array(rgba) },
              steps: [{ op: 'erase', params: { algorithm: 'telea', radius: 5 } }],
              ep: 'wasm',
              mask: { width: size, height: size, data: new Uint8Array(maskBytes) },
            });
          },
        );
      } finally {
        worker.terminate();
      }
    },
    {
      re: WORKER_SCRIPT.source,
      v: PROTOCOL_VERSION,
      size: SIZE,
      rgba: Array.from(input.data),
      maskBytes: mask,
    },
  );
  expect({ placement: fromBrowser.placement, ep: fromBrowser.ep }).toEqual({
    placement: 'browser',
    ep: 'wasm',
  });
  const browser = { width: SIZE, height: SIZE, data: Uint8Array.from(fromBrowser.data) };
  // Same WASM on both sides: the same bytes (the bound the other e2e comparisons use is 1).
  expect(maxAbsDiff(browser, fromServer)).toBeLessThanOrEqual(1);
  const changed = mask.filter((m, p) => m && fromServer.data[4 * p] !== input.data[4 * p]).length;
  expect(changed).toBeGreaterThan(0);
  console.info(`erase browser vs server: max abs diff ${maxAbsDiff(browser, fromServer)}`);

  // Only the worker's script may eval (OpenCV's bindings); the page may not.
  const page_csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy')!;
  const workerUrl = await page.evaluate(
    (re) =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .find((n) => new RegExp(re).test(n))!,
    WORKER_SCRIPT.source,
  );
  const worker_csp = (await fetch(workerUrl)).headers.get('content-security-policy')!;
  expect(page_csp).not.toContain("'unsafe-eval'");
  expect(worker_csp).toContain("'unsafe-eval'");
});
