import type { EditMetadata, RgbaImage, Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { planRun } from '../services/plan-run';
import {
  appliedSteps,
  canRedo,
  canUndo,
  createEditorStore,
  currentImage,
  type NewHistoryEntry,
} from './editor-store';

const image = (w: number, v: number): RgbaImage => ({
  width: w,
  height: 1,
  data: new Uint8Array(w * 4).fill(v),
});
const meta = { placement: 'browser', ep: 'wasm' } as EditMetadata;
const entry = (step: Step, img: RgbaImage): NewHistoryEntry => ({
  step,
  image: img,
  metadata: meta,
});
const upscale: Step = { op: 'upscale', params: { model: 'slim', scale: 2 } };
const invert: Step = { op: 'invert', params: {} };
const blur: Step = { op: 'blur', params: { radius: 4 } };
const source = { image: image(1, 10), name: 'photo.png', bytes: 100, format: 'PNG' };

function withThreeSteps() {
  const store = createEditorStore();
  store.getState().loadSource(source);
  store.getState().commit(-1, [entry(upscale, image(2, 20))]);
  store.getState().commit(0, [entry(invert, image(2, 30))]);
  store.getState().commit(1, [entry(blur, image(2, 40))]);
  return store;
}

describe('editor store: chaining and history', () => {
  it('applies each step to the previous result and records it', () => {
    const store = withThreeSteps();
    const s = store.getState();
    expect(s.history.map((e) => e.step.op)).toEqual(['upscale', 'invert', 'blur']);
    expect(s.cursor).toBe(2);
    expect(currentImage(s)?.data[0]).toBe(40);
    expect(appliedSteps(s).map((x) => x.op)).toEqual(['upscale', 'invert', 'blur']);
  });

  it('undoes back to the original and redoes forward, stopping at both ends', () => {
    const store = withThreeSteps();
    const { undo, redo } = store.getState();
    undo();
    expect(currentImage(store.getState())?.data[0]).toBe(30);
    undo();
    undo();
    expect(store.getState().cursor).toBe(-1);
    expect(currentImage(store.getState())?.data[0]).toBe(10);
    expect(canUndo(store.getState())).toBe(false);
    undo();
    expect(store.getState().cursor).toBe(-1);
    redo();
    redo();
    redo();
    redo();
    expect(store.getState().cursor).toBe(2);
    expect(canRedo(store.getState())).toBe(false);
  });

  it('drops the redo stack when a new step is applied after undo', () => {
    const store = withThreeSteps();
    store.getState().undo();
    store.getState().undo();
    store.getState().commit(store.getState().cursor, [entry(blur, image(2, 99))]);
    const s = store.getState();
    expect(s.history.map((e) => e.step.op)).toEqual(['upscale', 'blur']);
    expect(s.cursor).toBe(1);
    expect(canRedo(s)).toBe(false);
  });

  it('a new source clears history', () => {
    const store = withThreeSteps();
    store.getState().loadSource({ ...source, name: 'other.png' });
    expect(store.getState().history).toEqual([]);
    expect(store.getState().cursor).toBe(-1);
  });

  it('editing an earlier step loads its op and params and re-runs it with the steps after it', () => {
    const store = withThreeSteps();
    store.getState().editStep(0);
    const s = store.getState();
    expect(s.op).toBe('upscale');
    expect(s.params).toEqual({ model: 'slim', scale: 2 });
    expect(s.editingStep).toBe(0);
    const changed: Step = { op: 'upscale', params: { model: 'thick', scale: 4 } };
    const plan = planRun(store.getState(), changed)!;
    expect(plan.base).toBe(-1);
    expect(plan.image).toBe(source.image);
    expect(plan.steps).toEqual([changed, invert, blur]);
    // The re-run's results replace step 1 onwards.
    s.commit(
      plan.base,
      plan.steps.map((st, i) => entry(st, image(4, 50 + i))),
    );
    expect(store.getState().history.map((e) => e.step)).toEqual([changed, invert, blur]);
    expect(store.getState().editingStep).toBeNull();
  });

  it('selecting an op fills its schema defaults; reset restores them', () => {
    const store = createEditorStore();
    store.getState().selectOp('adjust');
    expect(store.getState().params).toMatchObject({ exposure: 0, contrast: 0, gamma: 1 });
    store.getState().setParam('exposure', 1.5);
    expect(store.getState().params.exposure).toBe(1.5);
    store.getState().resetParams();
    expect(store.getState().params.exposure).toBe(0);
  });
});
