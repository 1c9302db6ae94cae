import type { LocalDeviceInfo, RgbaImage, Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { createBrowserInference } from '../../inference/client';
import { packPicture, unpackPicture } from '../../lib/picture-pack';
import { encodePng } from '../../lib/png';
import { createWorkspace } from '../../services/documents/workspace';
import { createRunService, type RunContext } from '../../services/run-service';
import { ProtocolWorker } from '../../services/testing/protocol-worker';
import { createDocumentStore } from '../../stores/document-store';
import { createDocumentsStore } from '../../stores/documents-store';
import { createUiStore } from '../../stores/ui-store';
import { createBatchStore } from './batch-store';
import { applyToAll, retry, type BatchDeps } from './run-batch';

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

const picture = (w: number, v: number): RgbaImage => ({
  width: w,
  height: 1,
  data: Uint8Array.from({ length: w * 4 }, (_, i) => (i % 4 === 3 ? 255 : v + i)),
});
const inverted = (img: RgbaImage): RgbaImage => ({
  ...img,
  data: img.data.map((v, i) => (i % 4 === 3 ? v : 255 - v)),
});

/** A batch of a (shown), b and c; the worker inverts, and refuses pictures `failWidth` wide. */
async function setup() {
  let failWidth: number | null = null;
  const workers: ProtocolWorker[] = [];
  const inference = createBrowserInference({
    createWorker: () => {
      const w = new ProtocolWorker((img) => {
        if (img.width === failWidth) throw new Error('this file broke the engine');
        return inverted(img);
      });
      workers.push(w);
      return w as unknown as Worker;
    },
  });
  const runs = createRunService({
    browser: () => inference,
    api: {} as never,
    encode: encodePng,
    decode: () => Promise.reject(new Error('no server in these tests')),
  });
  const document = createDocumentStore({}, { budgetBytes: 1e9 });
  const documents = createDocumentsStore();
  const workspace = createWorkspace({
    document,
    documents,
    ui: createUiStore(),
    decode: unpackPicture,
  });
  const batch = createBatchStore();
  const pictures = { a: picture(3, 10), b: picture(4, 20), c: picture(5, 30) };
  for (const [name, image] of Object.entries(pictures)) {
    const file = await packPicture(image);
    workspace.add({
      id: name,
      name: `${name}.png`,
      format: 'PNG',
      bytes: file.size,
      file,
      sourceSize: image,
      history: [],
      cursor: -1,
    });
    batch.getState().add([{ id: name, name: `${name}.png`, file, size: image, status: 'waiting' }]);
  }
  await workspace.switchTo('a');
  const deps: BatchDeps = { runs, workspace, batch, documents };
  const sent = () =>
    workers.flatMap((w) => w.runs.map((r) => `${r.image.width}:${r.steps.length}`));
  return { deps, pictures, sent, fail: (w: number | null) => (failWidth = w) };
}

const statusOf = (deps: BatchDeps, id: string) =>
  deps.batch.getState().items.find((i) => i.id === id)!;

describe('apply to all', () => {
  it('runs the recipe on each other file, in its own history, once each', async () => {
    const { deps, pictures, sent } = await setup();
    await deps.workspace.edit('a', async (doc) => {
      doc
        .getState()
        .commit(-1, [{ step: invert, metadata: {} as never, image: inverted(pictures.a) }]);
    });
    deps.batch.getState().setRecipe([invert], 'a');
    await applyToAll(context, new AbortController().signal, deps);
    // a already shows the recipe: only b and c ran, one step each.
    expect(sent()).toEqual(['4:1', '5:1']);
    for (const id of ['a', 'b', 'c'] as const) {
      expect(deps.workspace.stepsOf(id)).toEqual([invert]);
      expect(await deps.workspace.shownPicture(id)).toEqual(inverted(pictures[id]));
    }
    expect(statusOf(deps, 'b')).toMatchObject({
      status: 'waiting',
      recipeBase: -1,
      recipeApplied: [invert],
    });
    expect(deps.batch.getState().running).toBe(false);
    expect(deps.documents.getState().busy).toBeNull();
    // Again: nothing left to do.
    await applyToAll(context, new AbortController().signal, deps);
    expect(sent()).toHaveLength(2);
  });

  it('a file that fails says why, the others still run, and Retry runs it once fixed', async () => {
    const { deps, pictures, fail } = await setup();
    deps.batch.getState().setRecipe([invert], 'a');
    fail(4);
    await applyToAll(context, new AbortController().signal, deps);
    expect(statusOf(deps, 'b')).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('this file broke the engine'),
    });
    expect(deps.workspace.stepsOf('b')).toEqual([]);
    expect(deps.workspace.stepsOf('c')).toEqual([invert]);
    fail(null);
    await retry('b', context, new AbortController().signal, async (i) => i, deps);
    expect(statusOf(deps, 'b').status).toBe('waiting');
    expect(statusOf(deps, 'b').error).toBeUndefined();
    expect(await deps.workspace.shownPicture('b')).toEqual(inverted(pictures.b));
  });

  it('stops at once on abort and leaves the rest waiting', async () => {
    const { deps, sent } = await setup();
    deps.batch.getState().setRecipe([invert], 'a');
    const controller = new AbortController();
    controller.abort();
    await applyToAll(context, controller.signal, deps);
    expect(sent()).toEqual([]);
    expect(deps.batch.getState().items.map((i) => i.status)).toEqual([
      'waiting',
      'waiting',
      'waiting',
    ]);
  });
});
