import { CHROMIUM, chromiumArgs, noWebgpuArgs } from './fixtures/chromium';
import { decode, maxAbsDiff } from './fixtures/images';
import { DERAIN, openForRestore } from './fixtures/restore';
import { expect, test } from './fixtures/test';

// Most browsers that run edits on WASM have no WebGPU adapter: their worker loads onnxruntime's
// plain SIMD module, not the WebGPU bundle's slower asyncify one (web inference/ort-files.ts).
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...chromiumArgs, ...noWebgpuArgs] } });

test.describe('restore in a browser without WebGPU', () => {
  test.setTimeout(300_000);

  // Parity runs a two-stage graph (deraining: 3.24 MFLOP/px against deblurring's 5.07): the
  // same converter, kernels and tiling, at two thirds of the WASM time this suite pays for.
  test('run on WASM, it gives the server’s pixels within 1', async ({ editor, api, page }) => {
    const runtimes: string[] = [];
    page.context().on('request', (r) => {
      const file = /\/ort\/([^/?]+\.wasm)$/.exec(r.url())?.[1];
      if (file) runtimes.push(file);
    });
    const png = await openForRestore(editor);
    await editor.selectParam('Task', 'Remove rain streaks');
    await editor.runOn('Browser');
    await expect(editor.placement).toHaveAttribute('data-where', 'browser');
    await expect(editor.placement).toContainText('WASM');
    await editor.run(1, 'Restore photo', 280_000);
    expect(await editor.stepRanOn(1, 'Restore photo')).toMatch(/Browser · WASM/);
    expect(runtimes).toEqual(['ort-wasm-simd-threaded.wasm']);
    const here = await editor.actualPixels('Result image');
    const server = await decode((await api.edit(png, DERAIN)).bytes);
    expect(maxAbsDiff(here, server)).toBeLessThanOrEqual(1);
  });
});
