import { documentStore, uiStore } from '../stores/editor-store';
import { previewStore } from '../stores/preview-store';
import { createEditSession } from './edit-session';
import { runs } from './runs';

/** This tab's editor runs: one at a time, Cancel and Escape reach it from anywhere. */
export const editSession = createEditSession({
  runs,
  document: documentStore,
  ui: uiStore,
  preview: previewStore,
});
