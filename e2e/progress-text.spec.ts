import { gradientPng } from './fixtures/images';
import { expect, test } from './fixtures/test';
import type { EditorPage } from './pages/editor-page';

// Issue #12, defect 7: "Downloading isnet-quint8: 42 MB of 42 MB" stayed up while the session
// was made, and there was no ETA before the first tile. The stage now names the session being
// made, and the time model's estimate is shown from the start.

/**
 * Every text the run's stage and its time left show, in order, as the DOM changes: a stage
 * that lasts a few milliseconds is seen too, without polling a clock.
 */
async function recordProgress(editor: EditorPage) {
  await editor.page.evaluate(() => {
    const seen: { stage: string; eta: string }[] = [];
    (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
    new MutationObserver(() => {
      const stage = document.querySelector('[data-testid="run-stage"]')?.textContent ?? '';
      const eta = document.querySelector('[data-testid="run-eta"]')?.textContent ?? '';
      const last = seen.at(-1);
      if (stage && (last?.stage !== stage || last.eta !== eta)) seen.push({ stage, eta });
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () =>
    editor.page.evaluate(
      () => (window as unknown as { progressSeen: { stage: string; eta: string }[] }).progressSeen,
    );
}

test('the stage says a session is being made after the download, and an ETA shows before the first tile', async ({
  editor,
}) => {
  await editor.open(
    { name: 'photo.png', mimeType: 'image/png', buffer: await gradientPng(64, 48) },
    { width: 64, height: 48 },
  );
  await editor.chooseOperation('Invert');
  await editor.runOn('Browser');
  const seen = await recordProgress(editor);
  await editor.run(1, 'Invert');

  const texts = await seen();
  const stages = texts.map((t) => t.stage);
  const preparing = stages.findIndex((s) => s.startsWith('Preparing filter-color-matrix (WASM)…'));
  expect(preparing, stages.join(' | ')).toBeGreaterThanOrEqual(0);
  // Once the session is being made, the finished download is not what the stage says.
  expect(stages.slice(preparing).some((s) => s.startsWith('Downloading'))).toBe(false);
  // The first thing shown, before any tile: the time model's estimate, not just where it runs.
  expect(texts[0]!.eta, JSON.stringify(texts[0])).toMatch(/^about .+ left$/);
});
