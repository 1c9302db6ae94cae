import { CHROMIUM, chromiumArgs, noWebgpuArgs } from './fixtures/chromium';
import { decode, gradientPng, maxAbsDiff } from './fixtures/images';
import { expect, test } from './fixtures/test';

// A browser launched without WebGPU: neither the page nor its workers get an adapter.
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...chromiumArgs, ...noWebgpuArgs] } });

const UPSCALE = { op: 'upscale', params: { model: 'slim', scale: 2 } } as const;

test.describe('without WebGPU', () => {
  test('Auto sends a heavy upscale to the server and says why', async ({ editor, api, page }) => {
    // Chromium may keep the navigator.gpu object; what matters is that no adapter comes back.
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return (await gpu?.requestAdapter()) ?? null;
    });
    expect(adapter).toBeNull();
    // 160² × slim ×2 is ~11 GFLOP: seconds of WASM on two cores, a fraction of one on the server.
    const input = await gradientPng(160, 160);
    await editor.open(
      { name: 'wide.png', mimeType: 'image/png', buffer: input },
      { width: 160, height: 160 },
    );
    await editor.chooseOperation('Upscale');
    await editor.runOn('Auto');
    await expect(editor.placement).toHaveText(
      /^Runs on: Server — Server ≈ [\d.]+ s, this device ≈ [\d.]+ s \(WASM: this browser has no WebGPU\)$/,
    );
    await expect(editor.placement).toHaveAttribute('data-where', 'server');

    await editor.gpu.open();
    await expect(editor.gpu.value(editor.gpu.local, 'Adapter')).toHaveText('No WebGPU');
    await expect(editor.gpu.value(editor.gpu.local, 'Why')).toHaveText(
      'WebGPU returned no adapter (blocklisted or disabled GPU)',
    );
    await editor.gpu.close();

    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/jobs') && r.request().method() === 'POST',
    );
    await editor.run(1, 'Upscale');
    const job = (await (await created).json()) as { id: string };
    expect((await api.job(job.id)).state).toBe('succeeded');
    const status = await api.gpuStatus();
    expect(await editor.stepRanOn(1, 'Upscale')).toContain(`Server · ${status.ep.toUpperCase()}`);
    await expect(editor.dimensions).toHaveText('160 × 160 → 320 × 320');

    const { pixels } = await editor.download();
    const reference = await decode((await api.edit(input, [UPSCALE])).bytes);
    expect([pixels.width, pixels.height]).toEqual([320, 320]);
    expect(maxAbsDiff(pixels, reference)).toBeLessThanOrEqual(1);
  });

  test('forcing Browser runs on WASM, as the UI says', async ({ editor, api }) => {
    const input = await gradientPng(16, 16);
    await editor.open(
      { name: 'small.png', mimeType: 'image/png', buffer: input },
      { width: 16, height: 16 },
    );
    await editor.chooseOperation('Upscale');
    await editor.runOn('Browser');
    await expect(editor.placement).toHaveText(
      'Runs on: Browser (WASM) — you chose Browser; this browser has no WebGPU',
    );
    await editor.run(1, 'Upscale');
    expect(await editor.stepRanOn(1, 'Upscale')).toContain('Browser · WASM');

    const { pixels } = await editor.download();
    const reference = await decode((await api.edit(input, [UPSCALE])).bytes);
    expect(maxAbsDiff(pixels, reference)).toBeLessThanOrEqual(1);
  });
});
