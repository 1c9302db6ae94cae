import type { RgbaImage, Step } from '@loupe/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createEditorStore } from '../stores/editor-store';
import { createPreviewStore } from '../stores/preview-store';
import { pictureKey } from './picture-keys';
import { BROWSER_ONLY, brighter, liveEditor } from './testing/live-editor';

const blur = (radius: number): Step => ({ op: 'blur', params: { radius } });
const cutout: Step = {
  op: 'remove-background',
  params: { model: 'quint8', output: 'cutout', color: '#ffffff', blurRadius: 12 },
};
const onColour = (color: string, model: 'quint8' | 'fp16' = 'quint8'): Step => ({
  op: 'remove-background',
  params: { ...cutout.params, model, output: 'color', color },
});

/** An 8×4 opaque picture with a distinct value per pixel. */
const picture = (): RgbaImage => ({
  width: 8,
  height: 4,
  data: Uint8Array.from({ length: 8 * 4 * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 7) % 200)),
});

const disposers: (() => void)[] = [];
afterEach(() => disposers.splice(0).forEach((d) => d()));

function setup(options: { holdRuns?: boolean } = {}) {
  const editor = createEditorStore({}, { budgetBytes: 1e9 });
  const preview = createPreviewStore();
  const source = picture();
  editor.getState().loadSource({ image: source, name: 'a.png', bytes: 1, format: 'PNG' });
  // A pane half the picture's size at DPR 1: previews are made at 4×2.
  preview.getState().setScreen({ width: 4, height: 2, dpr: 1 });
  const live = liveEditor({ document: editor.document, ui: editor.ui, preview }, options);
  disposers.push(() => live.service.dispose());
  return { ...live, editor, preview, source };
}

describe('preview service', () => {
  it('previews a drag on a screen-sized copy, latest wins, and never touches the history', async () => {
    const { service, worker, editor, preview, source } = setup();
    for (const radius of [2, 3, 4, 5]) service.change(BROWSER_ONLY, blur(radius));
    await expect.poll(() => worker()?.previews.length).toBe(1);
    const first = worker().previews[0]!;
    // The first change runs at once, on a 4×2 copy, its radius halved with it.
    expect([first.image.width, first.image.height]).toEqual([4, 2]);
    expect(first.steps).toEqual([blur(1)]);
    expect(first.inputKey).toBe(pictureKey(source));

    worker().answerPreview();
    // Of the three changes made meanwhile only the newest runs next.
    await expect.poll(() => worker().previews.length).toBe(2);
    expect(worker().previews[1]!.steps).toEqual([blur(2.5)]);
    worker().answerPreview();
    await expect
      .poll(() => preview.getState().shown?.image.data[0])
      .toBe(
        brighter({ ...source, width: 4, height: 2, data: worker().previews[1]!.image.data })
          .data[0],
      );
    expect(preview.getState().shown!.size).toEqual({ width: 8, height: 4 });
    expect([editor.getState().history.length, worker().runs.length]).toEqual([0, 0]);
  });

  it('commits one full-resolution step on release and keeps tuning it: the next release replaces it', async () => {
    const { service, worker, editor, preview, source } = setup();
    service.change(BROWSER_ONLY, blur(4));
    await expect.poll(() => worker()?.previews.length).toBe(1);
    worker().answerPreview();
    await expect.poll(() => preview.getState().shown).not.toBeNull();

    await service.commit(BROWSER_ONLY, blur(4));
    expect(worker().runs.map((r) => [r.image.width, r.steps])).toEqual([[8, [blur(4)]]]);
    let s = editor.getState();
    expect([s.history.length, s.cursor, s.editingStep]).toEqual([1, 0, 0]);
    expect(s.history[0]!.image!.data[0]).toBe(brighter(source).data[0]);
    // The full-resolution result replaced the preview.
    expect(preview.getState().shown).toBeNull();

    await service.commit(BROWSER_ONLY, blur(6));
    s = editor.getState();
    expect([s.history.length, s.editingStep, worker().runs.length]).toEqual([1, 0, 2]);
    expect(s.history[0]!.step).toEqual(blur(6));
    // Re-run from the original, not stacked on the first blur.
    expect(worker().runs[1]!.image.data).toEqual(source.data);
  });

  it('drops a preview still in flight when a commit starts: its late answer never shows', async () => {
    const { service, worker, editor, preview } = setup();
    service.change(BROWSER_ONLY, blur(4));
    await expect.poll(() => worker()?.previews.length).toBe(1);
    const committed = service.commit(BROWSER_ONLY, blur(4));
    await committed;
    expect(worker().cancels).toEqual([worker().previews[0]!.id]);
    expect(worker().answerPreview()).toBe(false);
    expect(editor.getState().history).toHaveLength(1);
    expect(preview.getState().shown).toBeNull();
  });

  it('runs only the newest of the releases made while a commit is in flight, after it', async () => {
    const { service, worker, editor } = setup({ holdRuns: true });
    const first = service.commit(BROWSER_ONLY, blur(2));
    await expect.poll(() => worker()?.runs.length).toBe(1);
    const later = [3, 4, 5].map((r) => service.commit(BROWSER_ONLY, blur(r)));
    worker().answerRun();
    await first;
    await expect.poll(() => worker().runs.length).toBe(2);
    worker().answerRun();
    await Promise.all(later);
    expect(worker().runs.map((r) => r.steps)).toEqual([[blur(2)], [blur(5)]]);
    expect(editor.getState().history.map((e) => e.step)).toEqual([blur(5)]);
  });

  it('with Live preview off, previews nothing and commits nothing; Run still runs, and does not tune', async () => {
    const { service, workers, editor, preview } = setup();
    preview.getState().setLive(false);
    service.change(BROWSER_ONLY, blur(4));
    expect((await service.commit(BROWSER_ONLY, blur(4))).where).toBeNull();
    expect(workers).toHaveLength(0);
    await service.run(BROWSER_ONLY, blur(4));
    await service.run(BROWSER_ONLY, blur(4));
    const s = editor.getState();
    expect([s.history.length, s.editingStep]).toEqual([2, null]);
  });

  it('previews nothing for an op without a preview, and drops the shown preview when the document changes', async () => {
    const { service, worker, editor, preview } = setup();
    service.change(BROWSER_ONLY, { op: 'upscale', params: { model: 'slim', scale: 2 } });
    expect(service.isLive({ op: 'invert', params: {} })).toBe(false);
    await service.run(BROWSER_ONLY, blur(2));
    expect(worker().previews).toHaveLength(0);
    service.change(BROWSER_ONLY, blur(3));
    await expect.poll(() => worker().previews.length).toBe(1);
    worker().answerPreview();
    await expect.poll(() => preview.getState().shown).not.toBeNull();
    editor.getState().undo();
    expect(preview.getState().shown).toBeNull();
  });

  it('makes background removal live once its matte exists: after a Run, a new mode previews and commits over the same picture', async () => {
    const { service, worker, editor, source } = setup();
    expect(service.isLive(onColour('#00ff00'))).toBe(false);
    await service.run(BROWSER_ONLY, cutout);
    expect(editor.getState().editingStep).toBe(0);
    expect(service.isLive(onColour('#00ff00'))).toBe(true);
    // Another model needs another matte: that is a Run again, not a live change.
    expect(service.isLive(onColour('#00ff00', 'fp16'))).toBe(false);

    service.change(BROWSER_ONLY, onColour('#00ff00'));
    await expect.poll(() => worker().previews.length).toBe(1);
    await service.commit(BROWSER_ONLY, onColour('#00ff00'));
    // Preview and both runs name the original: the worker's matte of it is read, not recomputed.
    expect(worker().previews[0]!.inputKey).toBe(pictureKey(source));
    expect(worker().runs.map((r) => r.inputKey)).toEqual([pictureKey(source), pictureKey(source)]);
    expect(editor.getState().history.map((e) => e.step)).toEqual([onColour('#00ff00')]);
  });

  it('warms the worker for an op once per EP with a one-pixel preview it shows nowhere', async () => {
    const { service, worker, workers, preview } = setup();
    const ready = service.warm(BROWSER_ONLY, 'adjust');
    const again = service.warm(BROWSER_ONLY, 'adjust');
    // Nothing to warm: no preview, or one that waits for a Run's matte.
    await service.warm(BROWSER_ONLY, 'upscale');
    await service.warm(BROWSER_ONLY, 'remove-background');
    await again;
    await expect.poll(() => worker()?.previews.length).toBe(1);
    expect(workers).toHaveLength(1);
    const [warm] = worker().previews;
    expect([warm!.image.width, warm!.image.height, warm!.steps[0]!.op]).toEqual([1, 1, 'adjust']);
    worker().answerPreview();
    await ready;
    const sepia = service.warm(BROWSER_ONLY, 'sepia');
    await expect.poll(() => worker().previews.length).toBe(2);
    worker().answerPreview();
    await sepia;
    expect(preview.getState().shown).toBeNull();
  });
});
