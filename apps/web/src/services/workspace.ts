import { decodeToRgba } from '../lib/image-canvas';
import { documentsStore, documentStore, uiStore } from '../stores/editor-store';
import { createWorkspace } from './documents/workspace';

/** This tab's open documents: the one in the editor and the parked rest. */
export const workspace = createWorkspace({
  document: documentStore,
  documents: documentsStore,
  ui: uiStore,
  decode: decodeToRgba,
});
