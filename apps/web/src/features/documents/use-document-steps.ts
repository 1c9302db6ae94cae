import type { Step } from '@loupe/shared';
import { useShallow } from 'zustand/react/shallow';
import {
  appliedSteps,
  parkedSteps,
  useDocument,
  useDocuments,
  type DocumentId,
} from '../../stores/editor-store';

const NONE: Step[] = [];

/** The steps document `id` shows, shown or parked; re-renders only when they change. */
export function useDocumentSteps(id: DocumentId): Step[] {
  const shown = useDocuments((s) => s.activeId === id);
  // Fresh arrays each call: compared element-wise, or the subscriptions loop forever.
  const parked = useDocuments(useShallow((s) => (s.parked[id] ? parkedSteps(s.parked[id]) : NONE)));
  const live = useDocument(useShallow(appliedSteps));
  return shown ? live : parked;
}
