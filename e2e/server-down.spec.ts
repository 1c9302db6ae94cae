import { decode, maxAbsDiff, photoPng } from './fixtures/images';
import { expect, test } from './fixtures/test';

const UPSCALE = { op: 'upscale', params: { model: 'slim', scale: 2 } } as const;

test('the server going away mid-session is reported and browser edits keep working', async ({
  editor,
  server,
  api,
}) => {
  const input = await photoPng(16);
  // Computed now: the server will be gone when the browser's second result needs checking.
  const reference = await decode((await api.edit(input, [UPSCALE, UPSCALE])).bytes);

  await editor.open(
    { name: 'photo.png', mimeType: 'image/png', buffer: input },
    { width: 16, height: 16 },
  );
  await expect(editor.serverDot).toHaveAccessibleName('Server ready');
  await editor.chooseOperation('Upscale');
  await editor.runOn('Browser');
  // The first run fetches the model from the server and keeps it in Cache Storage.
  await editor.run(1, 'Upscale');
  await editor.runOn('Auto');

  await server.stop();
  try {
    await expect(editor.serverDot).toHaveAccessibleName('Server offline', { timeout: 15_000 });
    await expect(editor.serverUnreachable).toBeVisible();
    await expect(editor.placement).toHaveText(
      'Runs on: Browser — the server is unreachable, so this edit runs on this device',
    );

    // Forcing the server now is refused up front, with the reason, instead of failing mid-run.
    await editor.runOn('Server');
    await expect(editor.placement).toHaveText(
      'Runs on: Server — you chose Server, but it is unreachable — choose Auto or Browser',
    );
    await expect(editor.runButton).toBeDisabled();

    await editor.runOn('Auto');
    await editor.run(2, 'Upscale');
    expect(await editor.stepRanOn(2, 'Upscale')).toContain('Browser');
    await expect(editor.dimensions).toHaveText('16 × 16 → 64 × 64');
    const { pixels } = await editor.download();
    expect(maxAbsDiff(pixels, reference)).toBeLessThanOrEqual(1);
  } finally {
    await server.start();
  }
  await expect(editor.serverDot).toHaveAccessibleName('Server ready', { timeout: 15_000 });
  await expect(editor.serverUnreachable).toBeHidden();
});
