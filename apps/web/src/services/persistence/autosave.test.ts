import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosave } from './autosave';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A save that waits until released, recording what it was given. */
function gatedSave() {
  const saved: number[] = [];
  const gates: (() => void)[] = [];
  const save = (value: number) =>
    new Promise<void>((resolve) => {
      saved.push(value);
      gates.push(resolve);
    });
  return { saved, gates, save };
}

describe('autosave', () => {
  it('writes a burst of changes once, after the quiet time, with the latest state', async () => {
    let state = 0;
    const { saved, gates, save } = gatedSave();
    const autosave = createAutosave({
      collect: async () => state,
      save,
      delayMs: 300,
      onError: vi.fn(),
    });
    for (state = 1; state <= 3; state++) autosave.schedule();
    state = 3;
    expect(autosave.status.getState().state).toBe('pending');
    await vi.advanceTimersByTimeAsync(299);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual([3]);
    gates[0]!();
    await autosave.flush();
    expect(autosave.status.getState().state).toBe('saved');
  });

  it('saves again after a save in flight when something changed meanwhile, one at a time', async () => {
    let state = 1;
    const { saved, gates, save } = gatedSave();
    const autosave = createAutosave({
      collect: async () => state,
      save,
      delayMs: 10,
      onError: vi.fn(),
    });
    autosave.schedule();
    await vi.advanceTimersByTimeAsync(10);
    state = 2;
    autosave.schedule();
    await vi.advanceTimersByTimeAsync(10);
    expect(saved).toEqual([1]); // the second waits for the first
    gates[0]!();
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toEqual([1, 2]);
    expect(autosave.status.getState().state).toBe('pending');
    gates[1]!();
    await autosave.flush();
    expect(autosave.status.getState().state).toBe('saved');
  });

  it('reports a failed save and tries again on the next change', async () => {
    const onError = vi.fn();
    let fail = true;
    const autosave = createAutosave({
      collect: async () => 1,
      save: async () => {
        if (fail) throw new DOMException('full', 'QuotaExceededError');
      },
      delayMs: 10,
      onError,
    });
    autosave.schedule();
    await autosave.flush();
    expect(autosave.status.getState().state).toBe('failed');
    expect(onError).toHaveBeenCalledTimes(1);
    fail = false;
    autosave.schedule();
    await autosave.flush();
    expect(autosave.status.getState().state).toBe('saved');
  });
});
