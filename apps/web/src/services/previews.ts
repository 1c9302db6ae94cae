import { shrinkPicture } from '../lib/shrink-picture';
import { documentStore, uiStore } from '../stores/editor-store';
import { previewStore } from '../stores/preview-store';
import { browserInference } from './browser-inference';
import { createPreviewService } from './preview-service';
import { runs } from './runs';
import { editSession } from './session';

/** This tab's live previews: the tab's worker for previews, its edit session for commits. */
export const previewService = createPreviewService({
  browser: browserInference,
  runs,
  session: editSession,
  document: documentStore,
  ui: uiStore,
  preview: previewStore,
  shrink: shrinkPicture,
});
