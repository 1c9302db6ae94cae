import type { StoreApi } from 'zustand';
import { useStore } from 'zustand';
import {
  createDocumentStore,
  type DocumentState,
  type DocumentStore,
  type DocumentStoreApi,
  type DocumentStoreOptions,
} from './document-store';
import { createDocumentsStore, type DocumentsStore } from './documents-store';
import { createUiStore, type UiState, type UiStore, type UiStoreApi } from './ui-store';

export * from './document-store';
export * from './documents-store';
export * from './ui-store';

export type EditorState = DocumentState & UiState;
export type EditorStore = DocumentStore & UiStore;

/** An editor store: the document and UI stores it reads, and one merged view over both. */
export interface EditorStoreApi extends Pick<
  StoreApi<EditorStore>,
  'getState' | 'getInitialState' | 'subscribe'
> {
  readonly document: DocumentStoreApi;
  readonly ui: UiStoreApi;
}

/**
 * One view over the document and the UI, for components that read both. The merged state is
 * rebuilt only when either store changes, so selectors see a stable snapshot. Actions that touch
 * both (open a picture, edit a step, pick another op) are defined here, once.
 */
export function combineEditor(document: DocumentStoreApi, ui: UiStoreApi): EditorStoreApi {
  const both: Pick<EditorStore, 'loadSource' | 'loadDocument' | 'editStep' | 'selectOp'> = {
    loadSource: (source) => {
      document.getState().loadSource(source);
      ui.getState().setView(null);
    },
    loadDocument: (doc) => {
      document.getState().loadDocument(doc);
      ui.getState().setView(null);
    },
    editStep: (index) => {
      const entry = document.getState().history[index];
      if (!entry) return;
      document.getState().editStep(index);
      ui.getState().loadStep(entry.step);
    },
    selectOp: (op) => {
      ui.getState().selectOp(op);
      document.getState().stopEditing();
    },
  };
  let last: { d: DocumentStore; u: UiStore; merged: EditorStore } | undefined;
  const getState = (): EditorStore => {
    const d = document.getState();
    const u = ui.getState();
    if (last?.d !== d || last.u !== u) last = { d, u, merged: { ...d, ...u, ...both } };
    return last.merged;
  };
  const subscribe = (listener: (state: EditorStore, previous: EditorStore) => void) => {
    let previous = getState();
    const changed = () => {
      const state = getState();
      if (state === previous) return;
      const before = previous;
      previous = state;
      listener(state, before);
    };
    const offDocument = document.subscribe(changed);
    const offUi = ui.subscribe(changed);
    return () => {
      offDocument();
      offUi();
    };
  };
  return { getState, getInitialState: getState, subscribe, document, ui };
}

/** A fresh editor (document + UI); the app uses one, tests make their own. */
export function createEditorStore(
  initial: Partial<EditorState> = {},
  options: DocumentStoreOptions = {},
): EditorStoreApi {
  const { source, history, cursor, editingStep, budgetBytes, ...ui } = initial;
  const doc = Object.fromEntries(
    Object.entries({ source, history, cursor, editingStep, budgetBytes }).filter(
      ([, v]) => v !== undefined,
    ),
  ) as Partial<DocumentState>;
  return combineEditor(createDocumentStore(doc, options), createUiStore(ui));
}

export const editorStore = createEditorStore();
export const documentStore = editorStore.document;
export const uiStore = editorStore.ui;

export function useEditor<T>(selector: (s: EditorStore) => T): T {
  return useStore(editorStore, selector);
}

export function useDocument<T>(selector: (s: DocumentStore) => T): T {
  return useStore(documentStore, selector);
}

export function useUi<T>(selector: (s: UiStore) => T): T {
  return useStore(uiStore, selector);
}

/** Every document open in this tab; the shown one's state is `documentStore`. */
export const documentsStore = createDocumentsStore();

export function useDocuments<T>(selector: (s: DocumentsStore) => T): T {
  return useStore(documentsStore, selector);
}
