import { photoPng } from './fixtures/images';
import { expect, test } from './fixtures/test';

test('the GPU panel shows this browser adapter and the server state; Offload and Release change what the server reports', async ({
  editor,
  api,
  page,
}) => {
  const gpu = editor.gpu;
  await gpu.open();

  // This browser: what a worker's own WebGPU reports (the app probes in its inference worker too).
  const adapter = await page.evaluate(async () => {
    const worker = new Worker(
      URL.createObjectURL(
        new Blob(
          [
            `navigator.gpu.requestAdapter().then(a => postMessage({ vendor: a.info.vendor, architecture: a.info.architecture, fallback: a.info.isFallbackAdapter }))`,
          ],
          { type: 'text/javascript' },
        ),
      ),
    );
    return new Promise<{ vendor: string; architecture: string; fallback: boolean }>(
      (r) => (worker.onmessage = (e) => r(e.data)),
    );
  });
  expect(adapter.vendor).not.toBe('');
  await expect(gpu.value(gpu.local, 'Vendor')).toHaveText(adapter.vendor);
  await expect(gpu.value(gpu.local, 'Architecture')).toHaveText(adapter.architecture);
  await expect(gpu.value(gpu.local, 'Adapter')).toContainText(adapter.architecture);
  // SwiftShader is a CPU rasteriser: the panel must not call it hardware.
  await expect(gpu.value(gpu.local, 'Type')).toHaveText('Software');

  // The server: the panel says what GET /api/gpu/status says.
  const before = await api.gpuStatus();
  await expect(gpu.value(gpu.server, 'Execution provider')).toHaveText(before.ep.toUpperCase());
  await expect(gpu.value(gpu.server, 'Device')).toHaveText(before.device.name);
  await expect(gpu.value(gpu.server, 'Why')).toHaveText(before.epReason);
  await expect(gpu.value(gpu.server, 'Queue')).toContainText(`cap ${before.queue.capacity}`);

  // Load a model on the server through the UI: a forced server run.
  await gpu.close();
  await editor.open(
    { name: 'photo.png', mimeType: 'image/png', buffer: await photoPng(16) },
    { width: 16, height: 16 },
  );
  await editor.chooseOperation('Upscale');
  await editor.runOn('Server');
  await expect(editor.placement).toContainText('Runs on: Server');
  await editor.run(1, 'Upscale');
  expect(await editor.stepRanOn(1, 'Upscale')).toContain(`Server · ${before.ep.toUpperCase()}`);

  const model = 'esrgan-slim-x2';
  // Counters are relative: the worker's server may have served earlier specs.
  const loaded = (await api.gpuStatus()).models.find((m) => m.id === model)!;
  expect(loaded.residency).toBe('device');
  await gpu.open();
  // A live session on a CPU-only server is not 'On GPU': the panel names what it is.
  await expect(gpu.residency(model)).toHaveText(before.ep === 'cpu' ? 'Loaded (CPU)' : 'On GPU');

  await gpu.offloadButton.click();
  await expect(editor.notice(/^Offloaded \d+ model/)).toBeVisible();
  const offloaded = (await api.gpuStatus()).models.find((m) => m.id === model)!;
  expect(offloaded.residency).toBe('ram');
  expect(offloaded.counters.offloads).toBe(loaded.counters.offloads! + 1);
  await expect(gpu.residency(model)).toHaveText('In RAM');

  await gpu.releaseButton.click();
  await expect(editor.notice(/^Released \d+ model/)).toBeVisible();
  const released = (await api.gpuStatus()).models.find((m) => m.id === model)!;
  expect(released.residency).toBe('unloaded');
  expect(released.counters.releases).toBe(loaded.counters.releases! + 1);
  await expect(gpu.residency(model)).toHaveText('Unloaded');
});

test('after Release a model says Released and its idle timer stops', async ({ editor, api }) => {
  await editor.open(
    { name: 'photo.png', mimeType: 'image/png', buffer: await photoPng(16) },
    { width: 16, height: 16 },
  );
  await editor.chooseOperation('Invert');
  await editor.runOn('Server');
  await editor.run(1, 'Invert');
  const model = 'filter-color-matrix';
  const gpu = editor.gpu;
  await gpu.open();
  // Held and used: the idle column counts seconds since that use.
  await expect(gpu.idle(model)).toHaveText(/^\d+ s$/);

  await gpu.releaseButton.click();
  await expect(editor.notice(/^Released \d+ model/)).toBeVisible();
  // The server's word: a released model has no idle time (it held on counting before the fix).
  const released = (await api.gpuStatus()).models.find((m) => m.id === model)!;
  expect(released).toMatchObject({ residency: 'unloaded', idleSeconds: null });
  await expect(gpu.residency(model)).toHaveText('Unloaded');
  await expect(gpu.idle(model)).toHaveText('Released');
});
