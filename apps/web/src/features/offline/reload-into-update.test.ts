import { describe, expect, it } from 'vitest';
import { createAutosave } from '../../services/persistence/autosave';
import { reloadIntoUpdate } from './reload-into-update';

/** A real autosave over a store that keeps what it is given (or refuses, when full). */
function session(full = false) {
  const written: string[] = [];
  let value = 'v0';
  const autosave = createAutosave({
    collect: async () => value,
    save: async (v) => {
      if (full) throw new Error('QuotaExceededError');
      written.push(v);
    },
    delayMs: 60_000,
    onError: () => {},
  });
  return { autosave, written, change: (v: string) => ((value = v), autosave.schedule()) };
}

describe('reloadIntoUpdate', () => {
  it('writes the pending change before the new build takes over', async () => {
    const { autosave, written, change } = session();
    change('v1');
    const order: string[] = [];
    const outcome = await reloadIntoUpdate(autosave, () => order.push(`apply after ${written}`));
    expect(outcome).toBe('reloaded');
    expect(order).toEqual(['apply after v1']);
    expect(autosave.status.getState().state).toBe('saved');
  });

  it('does not reload when that save fails, and does on the next click', async () => {
    const { autosave, change } = session(true);
    change('v1');
    let applied = 0;
    expect(await reloadIntoUpdate(autosave, () => applied++)).toBe('kept: the save failed');
    expect(applied).toBe(0);
    expect(autosave.status.getState().state).toBe('failed');
    // The notice now warns that reloading closes the work: clicking again means it.
    expect(await reloadIntoUpdate(autosave, () => applied++)).toBe('reloaded');
    expect(applied).toBe(1);
  });

  it('reloads at once where nothing can be saved', async () => {
    const { autosave } = session();
    autosave.status.setState({ state: 'off' });
    let applied = 0;
    expect(await reloadIntoUpdate(autosave, () => applied++)).toBe('reloaded');
    expect(applied).toBe(1);
  });
});
