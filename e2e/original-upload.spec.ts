import { gradientJpeg } from './fixtures/images';
import { expect, test } from './fixtures/test';

// Issue #12, defect 6: every server run PNG-encoded the picture in the browser first, even one
// unchanged since it was opened. Such a run now sends the file itself; a changed picture is
// still sent as the browser's exact pixels, losslessly.

test('a server run of the picture as opened uploads the file itself; a later step uploads PNG', async ({
  editor,
  page,
  api,
}) => {
  const jpeg = await gradientJpeg(160, 120);
  await editor.open(
    { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: jpeg },
    { width: 160, height: 120 },
  );
  await editor.runOn('Server');
  await editor.chooseOperation('Invert');

  // The bodies as they leave the page (a route sees a form's file part; request events do not).
  const bodies: Buffer[] = [];
  await page.route('**/api/jobs', async (route) => {
    if (route.request().method() === 'POST') bodies.push(route.request().postDataBuffer()!);
    await route.continue();
  });
  const created = () =>
    page.waitForResponse((r) => r.url().endsWith('/api/jobs') && r.request().method() === 'POST');

  const first = created();
  await editor.run(1, 'Invert');
  const job1 = (await (await first).json()) as { id: string };
  // The opened file's own bytes went up, and the server decoded a JPEG, which the app never makes.
  expect(bodies[0]!.includes(jpeg)).toBe(true);
  expect((await api.job(job1.id)).metadata?.input.format).toBe('jpeg');

  // Step 2 starts from step 1's result, which exists only as pixels here: PNG, made losslessly.
  const second = created();
  await editor.chooseOperation('Grayscale');
  await editor.run(2, 'Grayscale');
  const job2 = (await (await second).json()) as { id: string };
  expect(bodies[1]!.includes(jpeg)).toBe(false);
  expect((await api.job(job2.id)).metadata?.input.format).toBe('png');
});
