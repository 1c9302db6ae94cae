import { appliedSteps, type DocumentStoreApi, type SourceImage } from '../../stores/document-store';
import type { DocumentsStoreApi } from '../../stores/documents-store';
import type { BatchStoreApi } from './batch-store';
import { sameSteps } from './recipe';

/**
 * The recipe is the steps of the batch file last edited: each change to the shown file's
 * steps (a run, an undo, a re-run) while it is in the batch makes them the recipe. Opening a
 * file only shows its steps and leaves the recipe alone, so a fresh file opened after editing
 * another still offers that other file's steps to all; a batch's own runs never change it.
 */
export function followRecipe(
  document: DocumentStoreApi,
  documents: DocumentsStoreApi,
  batch: BatchStoreApi,
): () => void {
  let shown: { id: string | null; source: SourceImage | null } = { id: null, source: null };
  return document.subscribe((doc, before) => {
    const id = documents.getState().activeId;
    const same = shown.id === id && shown.source === doc.source;
    shown = { id, source: doc.source };
    if (!same || !id || (doc.history === before.history && doc.cursor === before.cursor)) return;
    const b = batch.getState();
    if (b.running || !b.items.some((i) => i.id === id)) return;
    const steps = appliedSteps(doc);
    // A recomputed picture or an edit that was cancelled changes no step.
    if (sameSteps(steps, appliedSteps(before))) return;
    if (steps.length || b.recipeFrom === id) b.setRecipe(steps, id);
  });
}
