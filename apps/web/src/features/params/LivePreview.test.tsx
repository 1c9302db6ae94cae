import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { RemoveBackgroundParams, Step } from '@loupe/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveEdit } from '../../services/preview-service';
import { BROWSER_ONLY, liveEditor } from '../../services/testing/live-editor';
import { documentStore, editorStore, uiStore } from '../../stores/editor-store';
import { previewStore } from '../../stores/preview-store';
import { LiveEditContext } from './live-edit';
import { ParamPanel } from './ParamPanel';

// The panel as the app wires it: real stores, the real preview service, inference client, run
// service and edit session, down to the worker protocol (Node has no Web Worker).

let live: ReturnType<typeof liveEditor>;

beforeEach(() => {
  localStorage.clear();
  const image = { width: 4, height: 2, data: new Uint8Array(4 * 2 * 4).fill(100) };
  editorStore.getState().loadSource({ image, name: 'a.png', bytes: 1, format: 'PNG' });
  editorStore.getState().selectOp('adjust');
  previewStore.setState({ live: true, shown: null, screen: null });
  live = liveEditor({ document: documentStore, ui: uiStore, preview: previewStore });
  render(
    <LiveEditContext value={liveEdit(live.service, BROWSER_ONLY)}>
      <ParamPanel />
    </LiveEditContext>,
  );
});
afterEach(() => {
  cleanup();
  live.service.dispose();
});

const stepOf = (params: Partial<RemoveBackgroundParams>): Step => ({
  op: 'remove-background',
  params: { model: 'quint8', output: 'cutout', color: '#ffffff', blurRadius: 12, ...params },
});
const exposure = () => screen.getByRole('slider', { name: 'Exposure' });
const history = () => editorStore.getState().history;
const sent = (kind: 'previews' | 'runs') =>
  live.workers.flatMap((w) =>
    w[kind].map((m) => (m.steps[0]!.params as { exposure: number }).exposure),
  );

describe('live preview in the parameter panel', () => {
  it('previews a slider drag as it moves, without a history step, and commits one step on release', async () => {
    expect(screen.getByRole('switch', { name: /Live preview/ })).toHaveProperty('checked', true);
    const slider = exposure();
    fireEvent.pointerDown(slider);
    for (const value of [0.5, 1, 1.5])
      fireEvent.input(slider, { target: { value: String(value) } });
    await expect.poll(() => sent('previews')).toEqual([0.5]);
    live.worker().answerPreview();
    // Latest wins: the move to 1 was overtaken before it started.
    await expect.poll(() => sent('previews')).toEqual([0.5, 1.5]);
    live.worker().answerPreview();
    await expect.poll(() => previewStore.getState().shown).not.toBeNull();
    expect([history().length, sent('runs')]).toEqual([0, []]);

    // Letting go: the browser fires `change` once, with the value already set.
    fireEvent.pointerUp(slider);
    fireEvent.change(slider);
    await expect.poll(() => history().length).toBe(1);
    expect(sent('runs')).toEqual([1.5]);
    expect(history()[0]!.step).toMatchObject({ op: 'adjust', params: { exposure: 1.5 } });
    expect(previewStore.getState().shown).toBeNull();
  });

  it('commits an arrow key held on a slider once, when the key comes up', async () => {
    const slider = exposure();
    fireEvent.keyDown(slider, { key: 'ArrowRight' });
    // A held arrow repeats: each repeat is an input and a change.
    for (const value of [0.05, 0.1, 0.15]) {
      fireEvent.input(slider, { target: { value: String(value) } });
      fireEvent.change(slider);
    }
    await expect.poll(() => sent('previews').length).toBeGreaterThan(0);
    expect(sent('runs')).toEqual([]);
    fireEvent.keyUp(slider, { key: 'ArrowRight' });
    await expect.poll(() => history().length).toBe(1);
    expect(sent('runs')).toEqual([0.15]);
  });

  it('keeps tuning the committed step: a second release and Reset replace it, not stack on it', async () => {
    const slider = exposure();
    fireEvent.input(slider, { target: { value: '1' } });
    fireEvent.change(slider);
    await expect.poll(() => history().length).toBe(1);
    fireEvent.input(slider, { target: { value: '2' } });
    fireEvent.change(slider);
    await expect.poll(() => sent('runs')).toEqual([1, 2]);
    fireEvent.click(screen.getByRole('button', { name: /Reset/ }));
    await expect.poll(() => sent('runs')).toEqual([1, 2, 0]);
    await expect
      .poll(() => history().map((e) => (e.step.params as { exposure: number }).exposure))
      .toEqual([0]);
    expect(editorStore.getState().editingStep).toBe(0);
  });

  it('makes background removal’s modes live once Run made its matte: choosing another output commits it', async () => {
    act(() => editorStore.getState().selectOp('remove-background'));
    const output = screen.getByRole('combobox', { name: 'Output' });
    // Before a Run there is no matte: a choice only sets the parameter.
    fireEvent.change(output, { target: { value: 'mask' } });
    expect(editorStore.getState().params.output).toBe('mask');
    await act(() => live.service.run(BROWSER_ONLY, stepOf({ output: 'cutout' })));
    act(() => editorStore.getState().setParam('output', 'cutout'));
    expect(history()).toHaveLength(1);

    fireEvent.change(screen.getByRole('combobox', { name: 'Output' }), {
      target: { value: 'color' },
    });
    await expect.poll(() => live.worker().runs.length).toBe(2);
    expect(live.worker().runs[1]!.steps).toEqual([stepOf({ output: 'color' })]);
    await expect.poll(() => history()[0]?.step).toEqual(stepOf({ output: 'color' }));
    expect(history()).toHaveLength(1);
  });

  it('with the switch off, a drag and its release only set the parameter', async () => {
    const toggle = screen.getByRole('switch', { name: /Live preview/ });
    fireEvent.click(toggle);
    expect(previewStore.getState().live).toBe(false);
    const slider = exposure();
    fireEvent.input(slider, { target: { value: '1' } });
    fireEvent.change(slider);
    // The commit follows its event's handlers, before the next event, as in a browser.
    await act(async () => {});
    expect(editorStore.getState().params.exposure).toBe(1);
    // Switched back on, the next move is the first thing the worker hears of.
    fireEvent.click(toggle);
    fireEvent.input(slider, { target: { value: '2' } });
    await expect.poll(() => sent('previews')).toEqual([2]);
    expect([sent('runs'), history().length]).toEqual([[], 0]);
  });

  it('offers no switch for an op without a preview', () => {
    act(() => editorStore.getState().selectOp('upscale'));
    expect(screen.queryByRole('switch', { name: /Live preview/ })).toBeNull();
    act(() => editorStore.getState().selectOp('sepia'));
    expect(screen.getByRole('switch', { name: /Live preview/ })).toBeTruthy();
  });
});
