import type { LocalDeviceInfo, RgbaImage, Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { createBrowserInference } from '../inference/client';
import { encodePng } from '../lib/png';
import { createEditorStore } from '../stores/editor-store';
import { createEditSession } from './edit-session';
import { createRunService, type RunContext } from './run-service';
import { ProtocolWorker } from './testing/protocol-worker';

const invert: Step = { op: 'invert', params: {} };
const NO_WEBGPU: LocalDeviceInfo = {
  webgpu: null,
  deviceMemoryGb: 8,
  hardwareConcurrency: 8,
  crossOriginIsolated: true,
};
// Browser only, the server unreachable: every run goes to the worker below.
const context: RunContext = {
  mode: 'auto',
  browserEp: null,
  device: NO_WEBGPU,
  server: null,
  models: [],
};

/** Inverts once per step it is sent, as the real pipeline would. */
const invertEach = (img: RgbaImage, req: { steps: readonly unknown[] }): RgbaImage => ({
  ...img,
  data: img.data.map((v, i) => (i % 4 === 3 || req.steps.length % 2 === 0 ? v : 255 - v)),
});

function editor(stuckFirst = false) {
  const workers: ProtocolWorker[] = [];
  const inference = createBrowserInference({
    createWorker: () => {
      const w = new ProtocolWorker(stuckFirst && !workers.length ? undefined : invertEach);
      workers.push(w);
      return w as unknown as Worker;
    },
  });
  const runs = createRunService({
    browser: () => inference,
    // Never reached: the context has no server.
    api: {} as never,
    encode: encodePng,
    decode: () => Promise.reject(new Error('no server in these tests')),
  });
  const store = createEditorStore({}, { budgetBytes: 1e9 });
  const original = { width: 2, height: 1, data: Uint8Array.of(10, 20, 30, 255, 40, 50, 60, 255) };
  store.getState().loadSource({ image: original, name: 'a.png', bytes: 1, format: 'PNG' });
  const session = createEditSession({ runs, document: store.document, ui: store.ui });
  const sent = () => workers.flatMap((w) => w.runs.map((r) => r.steps.length));
  return { store, session, sent, workers, original };
}

describe('edit session', () => {
  it('a re-run of step 1 and the two after it is one call; only its last picture is kept', async () => {
    const { store, session, sent, original } = editor();
    for (let i = 0; i < 3; i++) await session.run(context, invert);
    expect(sent()).toEqual([1, 1, 1]);
    store.getState().editStep(0);
    await session.run(context, invert);
    expect(sent()).toEqual([1, 1, 1, 3]);
    const s = store.getState();
    expect(s.history.map((e) => (e.image ? 'kept' : e.gone))).toEqual([
      'intermediate',
      'intermediate',
      'kept',
    ]);
    expect(s.history[2]!.image!.data[0]).toBe(255 - original.data[0]!);
    expect(s.run.kind).toBe('idle');

    // Step 2's picture comes back from the original: two inverts, one call.
    store.getState().goTo(1);
    await session.restore(context, 1);
    expect(sent().at(-1)).toBe(2);
    expect(store.getState().history[1]!.image!.data).toEqual(original.data);
  });

  it('cancel stops the run at once and leaves the history as it was', async () => {
    const { store, session, workers } = editor(true);
    const run = session.run(context, invert);
    expect(store.getState().run.kind).toBe('running');
    await expect.poll(() => workers[0]?.runs.length).toBe(1);
    session.cancel();
    const outcome = await run;
    expect(outcome.error?.code).toBe('CANCELLED');
    expect(workers[0]!.terminated).toBe(true);
    const s = store.getState();
    expect([s.history.length, s.cursor, s.run.kind]).toEqual([0, -1, 'idle']);
    expect(s.notices.at(-1)).toMatchObject({ title: 'Cancelled', detail: 'Nothing was changed.' });
    // The next edit runs on a fresh worker.
    await session.run(context, invert);
    expect(workers).toHaveLength(2);
    expect(store.getState().history).toHaveLength(1);
  });
});

describe('edit session with masked steps', () => {
  const erase: Step = { op: 'erase', params: { algorithm: 'telea', radius: 5, grow: 0 } };
  const mask = { width: 2, height: 1, data: Uint8Array.of(0, 255) };
  const masksSent = (workers: ProtocolWorker[]) =>
    workers.flatMap((w) => w.runs.map((r) => [r.steps.map((s) => s.op), r.mask?.data[1]]));

  it('sends the mask with its step and keeps it in history, where undo and redo find it', async () => {
    const { store, session, workers } = editor();
    await session.run(context, erase, mask);
    expect(masksSent(workers)).toEqual([[['erase'], 255]]);
    expect(store.getState().history[0]!.mask).toBe(mask);
    store.getState().undo();
    store.getState().redo();
    expect(store.getState().history[0]!.mask).toBe(mask);
  });

  it('a re-run of an earlier step runs the masked step after it on its own, with its mask', async () => {
    const { store, session, workers } = editor();
    await session.run(context, invert);
    await session.run(context, erase, mask);
    await session.run(context, invert);
    store.getState().editStep(0);
    await session.run(context, invert);
    // The engine gives a run's mask to its first step only: [invert], then [erase, invert].
    expect(masksSent(workers).slice(3)).toEqual([
      [['invert'], undefined],
      [['erase', 'invert'], 255],
    ]);
    const s = store.getState();
    expect(s.history.map((e) => e.step.op)).toEqual(['invert', 'erase', 'invert']);
    expect(s.history.map((e) => Boolean(e.image))).toEqual([true, false, true]);
    expect(s.history[1]!.mask).toBe(mask);
  });
});
