import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export interface GenerateState {
  /**
   * Locked: every Run uses the seed shown (same seed, same picture). Unlocked: each Run draws a
   * new one, as the SD tools' seed -1 does, and the field shows the one it used.
   */
  seedLocked: boolean;
  setSeedLocked(locked: boolean): void;
}

/** The prompt panel's own UI state; the parameters themselves are the editor's (ui-store). */
export const generateStore = createStore<GenerateState>()((set) => ({
  seedLocked: false,
  setSeedLocked: (seedLocked) => set({ seedLocked }),
}));

export function useGenerate<T>(selector: (s: GenerateState) => T): T {
  return useStore(generateStore, selector);
}
