import { stepOutputSize, type Step } from '@loupe/shared';
import { makesPicture } from '../../services/run-service';
import { workspace } from '../../services/workspace';
import { documentsStore, documentStore } from '../../stores/editor-store';
import { blankSource } from './new-picture';

/**
 * Opens an empty canvas for a step that makes its picture when no picture is open (text to
 * image from the first screen), so its previews have a stage and its result a history. Returns
 * the document opened, or null when there was no need.
 */
export async function openCanvasFor(step: Step): Promise<string | null> {
  if (documentStore.getState().source || !makesPicture([step])) return null;
  const size = stepOutputSize(step, { width: 0, height: 0 });
  const prompt = (step.params as { prompt?: string }).prompt ?? '';
  return workspace.open(blankSource(size, prompt), { keepShown: false });
}

/** Closes a canvas `openCanvasFor` opened when its run made nothing (cancelled or failed). */
export async function discardCanvas(id: string): Promise<void> {
  const untouched = documentStore.getState().history.length === 0;
  if (untouched && documentsStore.getState().activeId === id) await workspace.close(id);
}
