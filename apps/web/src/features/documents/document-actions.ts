import { workspace } from '../../services/workspace';
import { documentsStore, editorStore, type DocumentId } from '../../stores/editor-store';
import { batchStore } from '../batch/batch-store';
import { refusalTitle } from '../upload/upload-checks';

/** Why the shown document cannot change now (a run or a batch in flight), or null. */
export function whyBlocked(): string | null {
  if (editorStore.getState().run.kind === 'running')
    return 'Finish or cancel the current run first';
  return documentsStore.getState().busy;
}

/** Says so, and returns true, when the shown document cannot change now. */
export function refuseIfBlocked(): boolean {
  const why = whyBlocked();
  if (why) editorStore.getState().notify({ tone: 'info', title: why });
  return why !== null;
}

/**
 * Shows document `id`, parking the shown one with its history. A file that no longer decodes
 * is reported, and the shown document stays.
 */
export async function showDocument(id: DocumentId): Promise<boolean> {
  if (refuseIfBlocked()) return false;
  try {
    return await workspace.switchTo(id);
  } catch (e) {
    const message = (e as Error).message;
    editorStore.getState().notify({ tone: 'error', title: refusalTitle(e), detail: message });
    batchStore.getState().update(id, { status: 'failed', error: `${refusalTitle(e)}: ${message}` });
    return false;
  }
}

/** Closes documents (and their batch rows); the caller has asked first when they hold steps. */
export async function closeDocuments(ids: readonly DocumentId[]): Promise<void> {
  if (refuseIfBlocked()) return;
  // The shown one last: closing it shows a neighbour, which need not be one about to go too.
  const shown = documentsStore.getState().activeId;
  const order = [...ids.filter((id) => id !== shown), ...ids.filter((id) => id === shown)];
  for (const id of order) {
    await workspace.close(id);
    batchStore.getState().remove(id);
  }
}

/** Whether document `id` holds steps (closing it loses them). */
export function hasSteps(id: DocumentId): boolean {
  const s = documentsStore.getState();
  if (s.activeId === id) return editorStore.getState().history.length > 0;
  return (s.parked[id]?.history.length ?? 0) > 0;
}
