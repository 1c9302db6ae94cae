import { createStore, type StoreApi } from 'zustand/vanilla';

/**
 * `off`: nothing is saved (no IndexedDB); `pending`: changes not written yet; `saved`: what
 * is shown would come back after a reload; `failed`: the last save was refused (storage full).
 */
export type SaveState = 'off' | 'pending' | 'saved' | 'failed';

export interface AutosaveDeps<T> {
  /** What to save, read when the save runs (not when it was asked for). */
  collect(): Promise<T>;
  save(value: T): Promise<void>;
  /** Quiet time after the last change before writing: a burst of changes is one save. */
  delayMs: number;
  onError(error: unknown): void;
}

export interface Autosave {
  readonly status: StoreApi<{ state: SaveState }>;
  /** Something worth saving changed: save once things are quiet. */
  schedule(): void;
  /** Saves now if anything is pending, and resolves when no save is in flight. */
  flush(): Promise<void>;
  /** Forgets pending changes and waits for a save in flight (before clearing the store). */
  stop(): Promise<void>;
}

/**
 * Debounced saves, one at a time: a change during a save is saved again after it, so the
 * last state always gets written, and a failed save leaves the previous one in place.
 */
export function createAutosave<T>({ collect, save, delayMs, onError }: AutosaveDeps<T>): Autosave {
  // Pending until the first save: nothing is known to be saved before it.
  const status = createStore<{ state: SaveState }>()(() => ({ state: 'pending' }));
  let timer: ReturnType<typeof setTimeout> | null = null;
  let dirty = false;
  let inFlight: Promise<void> | null = null;

  const run = async (): Promise<void> => {
    while (dirty) {
      dirty = false;
      try {
        await save(await collect());
        if (!dirty) status.setState({ state: 'saved' });
      } catch (e) {
        status.setState({ state: 'failed' });
        onError(e);
        return;
      }
    }
  };
  const start = () => {
    timer = null;
    if (inFlight) return; // the loop in flight picks the change up
    inFlight = run().finally(() => (inFlight = null));
  };

  return {
    status,
    schedule() {
      dirty = true;
      status.setState({ state: 'pending' });
      if (timer) clearTimeout(timer);
      timer = setTimeout(start, delayMs);
    },
    async flush() {
      if (timer) {
        clearTimeout(timer);
        start();
      }
      await inFlight;
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      dirty = false;
      await inFlight;
      status.setState({ state: 'saved' });
    },
  };
}
