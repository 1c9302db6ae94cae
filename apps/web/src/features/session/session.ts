import { openSessionDb } from '../../services/persistence/session-db';
import { savedBudgetBytes } from '../../services/persistence/saved-budget';
import type { SavedBatch, SavedSession } from '../../services/persistence/session-record';
import { createSessionService, type Restored } from '../../services/persistence/session-service';
import { workspace } from '../../services/workspace';
import { documentsStore, documentStore, uiStore } from '../../stores/editor-store';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { batchStore } from '../batch/batch-store';
import { followRecipe } from '../batch/follow-recipe';
import { refuseIfBlocked } from '../documents/document-actions';

/** The batch as a session saves it: a run in flight comes back waiting; placements are re-decided. */
function savedBatch(): SavedBatch | null {
  const { items, recipe, recipeFrom } = batchStore.getState();
  if (!items.length) return null;
  return {
    recipe,
    recipeFrom,
    items: items.map(({ placement: _placement, status, ...item }) => ({
      ...item,
      status: status === 'failed' ? 'failed' : 'waiting',
    })),
  };
}

async function restore({ workspace: saved, batch }: SavedSession): Promise<void> {
  if (batch && !batchStore.getState().items.length) batchStore.getState().load(batch);
  await workspace.restore(saved);
}

/** Calls `onChange` when something a session keeps changes: not on every render or status tick. */
function subscribe(onChange: () => void): () => void {
  const offs = [
    documentStore.subscribe((s, p) => {
      if (s.source !== p.source || s.history !== p.history || s.cursor !== p.cursor) onChange();
    }),
    documentsStore.subscribe((s, p) => {
      if (s.tabs !== p.tabs || s.activeId !== p.activeId || s.parked !== p.parked) onChange();
    }),
    batchStore.subscribe((s, p) => {
      if (s.items !== p.items || s.recipe !== p.recipe) onChange();
    }),
  ];
  return () => offs.forEach((off) => off());
}

/** This tab's saved session (IndexedDB): restored on start, saved after every change. */
export const sessionService = createSessionService({
  open: () => openSessionDb(),
  budget: async () =>
    savedBudgetBytes(await globalThis.navigator?.storage?.estimate?.().catch(() => null)),
  collect: async () => ({ workspace: await workspace.snapshot(), batch: savedBatch() }),
  subscribe,
  restore,
  notify: (n) => uiStore.getState().notify(n),
});

/** What the last start restored, for the "Restored your last session" note (null once dismissed). */
export const restoredStore = createStore<{ restored: Restored | null }>()(() => ({
  restored: null,
}));

export function useRestored(): Restored | null {
  return useStore(restoredStore, (s) => s.restored);
}

export function useSaveState() {
  return useStore(sessionService.autosave.status, (s) => s.state);
}

let started: Promise<void> | null = null;

/** Starts the session once per tab: the batch recipe follows edits, then restore and autosave. */
export function startSession(): Promise<void> {
  started ??= (async () => {
    followRecipe(documentStore, documentsStore, batchStore);
    const restored = await sessionService.start();
    restoredStore.setState({ restored });
  })();
  return started;
}

/** "Start fresh": closes every document and the batch, and clears what was saved. */
export async function startFresh(): Promise<void> {
  if (refuseIfBlocked()) return;
  restoredStore.setState({ restored: null });
  await sessionService.clear();
  batchStore.getState().clear();
  workspace.clear();
}
