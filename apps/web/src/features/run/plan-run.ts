import type { Step } from '@loupe/shared';
import { editorStore } from '../../stores/editor-store';

/** The steps a Run applies and the picture they start from: the next step, or a re-run of an earlier one and those after it. */
export function planRun(step: Step, store = editorStore) {
  const s = store.getState();
  if (s.editingStep === null) return { base: s.cursor, steps: [step] };
  const i = s.editingStep;
  const later = s.history.slice(i + 1, Math.max(s.cursor, i) + 1).map((e) => e.step);
  return { base: i - 1, steps: [step, ...later] };
}
