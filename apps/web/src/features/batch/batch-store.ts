import type { Placement, Size, Step } from '@loupe/shared';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { DocumentId } from '../../stores/documents-store';

/** Done is not stored: a file is done when its document shows the recipe's steps. */
export type BatchStatus = 'waiting' | 'running' | 'failed';

export interface BatchItem {
  /** The id of the file's document; a file that could not be read has no document open. */
  id: DocumentId;
  name: string;
  file: Blob;
  status: BatchStatus;
  /** Why it failed, in full ("The file is empty: …"). */
  error?: string;
  /** The picture's size, read from the file before it is decoded. */
  size?: Size;
  /** Where this file's run went and why, decided for its own size when it ran. */
  placement?: { where: Placement; reason: string };
  /** Where the last Apply put the recipe in this file's history, and which steps it put there. */
  recipeBase?: number;
  recipeApplied?: Step[];
}

export interface BatchState {
  items: BatchItem[];
  /** The steps "Apply to all" runs: those of the file last edited (see follow-recipe.ts). */
  recipe: Step[];
  recipeFrom: DocumentId | null;
  /** Set while "Apply to all" or a Retry runs. */
  running: boolean;
}

export interface BatchActions {
  add(items: BatchItem[]): void;
  update(id: DocumentId, patch: Partial<BatchItem>): void;
  setRecipe(recipe: Step[], from: DocumentId | null): void;
  setRunning(running: boolean): void;
  remove(id: DocumentId): void;
  /** Replaces the whole batch (a restored session). */
  load(state: Pick<BatchState, 'items' | 'recipe' | 'recipeFrom'>): void;
  clear(): void;
}

export type BatchStore = BatchState & BatchActions;

const EMPTY: Pick<BatchState, 'items' | 'recipe' | 'recipeFrom' | 'running'> = {
  items: [],
  recipe: [],
  recipeFrom: null,
  running: false,
};

export function createBatchStore() {
  return createStore<BatchStore>()((set) => ({
    ...EMPTY,
    add: (items) => set((s) => ({ items: [...s.items, ...items] })),
    update: (id, patch) =>
      set((s) => ({ items: s.items.map((i) => (i.id === id ? { ...i, ...patch } : i)) })),
    setRecipe: (recipe, recipeFrom) => set({ recipe, recipeFrom }),
    setRunning: (running) => set({ running }),
    remove: (id) =>
      set((s) => ({
        items: s.items.filter((i) => i.id !== id),
        recipeFrom: s.recipeFrom === id ? null : s.recipeFrom,
      })),
    load: (state) => set({ ...state, running: false }),
    clear: () => set(EMPTY),
  }));
}

export type BatchStoreApi = ReturnType<typeof createBatchStore>;

/** Files dropped together: each is a document of its own; all can get the same steps. */
export const batchStore = createBatchStore();

export function useBatch<T>(selector: (s: BatchStore) => T): T {
  return useStore(batchStore, selector);
}
