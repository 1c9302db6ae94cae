import { decode, gradientPng, maxAbsDiff, photoPng } from './fixtures/images';
import { expect, test } from './fixtures/test';

// The default project: Chromium with WebGPU on SwiftShader (a software adapter, ~150× slower than WASM).
const UPSCALE = { op: 'upscale', params: { model: 'slim', scale: 2 } } as const;

test.describe('WebGPU on SwiftShader', () => {
  test('an upscale forced onto WebGPU in the browser equals the server result within 1 LSB', async ({
    editor,
    api,
  }) => {
    // SwiftShader compiles every WebGPU pipeline on the CPU: the first run takes minutes whatever the size.
    test.setTimeout(300_000);
    const input = await photoPng(16);
    await editor.open(
      { name: 'photo.png', mimeType: 'image/png', buffer: input },
      { width: 16, height: 16 },
    );
    await editor.chooseOperation('Upscale');
    await editor.selectParam('Model', 'Slim (fast)');
    await editor.selectParam('Scale', '2×');
    await editor.runOn('Browser');
    await editor.chooseBrowserEngine('WebGPU');
    await expect(editor.placement).toHaveText(
      /^Runs on: Browser \(WebGPU\) — you chose Browser; adapter google swiftshader/,
    );

    await editor.run(1, 'Upscale', 240_000);
    // What actually ran, not what was asked for: a silent fallback to WASM would say WASM here.
    expect(await editor.stepRanOn(1, 'Upscale')).toContain('Browser · WEBGPU');
    await expect(editor.notice(/instead of WEBGPU/)).toHaveCount(0);
    await editor.gpu.open();
    await expect(editor.gpu.value(editor.gpu.local, 'Last run')).toHaveText('WEBGPU');
    await editor.gpu.close();

    await expect(editor.dimensions).toHaveText('16 × 16 → 32 × 32');
    const { pixels } = await editor.download();
    const server = await decode((await api.edit(input, [UPSCALE])).bytes);
    expect([pixels.width, pixels.height]).toEqual([server.width, server.height]);
    expect(maxAbsDiff(pixels, server)).toBeLessThanOrEqual(1);
  });

  test('Auto keeps a heavy edit off a software adapter and says so', async ({ editor }) => {
    // 160² × slim ×2 is ~11 GFLOP: seconds of WASM on two cores (never the software GPU).
    await editor.open(
      { name: 'wide.png', mimeType: 'image/png', buffer: await gradientPng(160, 160) },
      { width: 160, height: 160 },
    );
    await editor.chooseOperation('Upscale');
    await editor.runOn('Auto');
    await expect(editor.placement).toHaveText(
      /^Runs on: Server — Server ≈ [\d.]+ s, this device ≈ [\d.]+ s \(WASM: google swiftshader is software\)$/,
    );
    await editor.gpu.open();
    await expect(editor.gpu.value(editor.gpu.local, 'Type')).toHaveText('Software');
    await editor.gpu.close();
    await editor.run(1, 'Upscale');
    expect(await editor.stepRanOn(1, 'Upscale')).toMatch(/Server · /);
    await expect(editor.dimensions).toHaveText('160 × 160 → 320 × 320');
  });
});
