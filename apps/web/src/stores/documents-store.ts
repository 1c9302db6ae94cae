import type { EditMetadata, Size, Step } from '@loupe/shared';
import { createStore } from 'zustand/vanilla';
import type { PictureGone } from './document-store';

export type DocumentId = string;

/** A history entry of a document that is not shown: its picture packed out of the JS heap. */
export interface ParkedEntry {
  id: number;
  step: Step;
  metadata: EditMetadata;
  size: Size;
  /** `packPicture` of the entry's picture; null when it was not kept (`gone` says why). */
  picture: Blob | null;
  gone?: PictureGone;
  /** `packMask` of the mask the step ran with (inpaint, erase): nothing can recompute it. */
  mask?: Blob;
  /**
   * A count > 1 step's pictures in seed order, each packed (null when the budget let it go); the
   * shown one is `picture` itself.
   */
  variations?: ParkedVariation[];
}

export interface ParkedVariation {
  seed: number;
  picture: Blob | null;
}

/**
 * A whole document in a form that costs little memory and survives a reload: the file as
 * opened, each step with its packed picture, and which one is shown. Documents that are not
 * on screen (other tabs, batch files) are kept like this, and a saved session is a list of them.
 */
export interface ParkedDocument {
  id: DocumentId;
  name: string;
  /** Format in the user's words, e.g. "PNG". */
  format: string;
  /** Size of the file as opened. */
  bytes: number;
  file: Blob;
  sourceSize: Size;
  history: ParkedEntry[];
  cursor: number;
}

/** One open document as the document switcher lists it. */
export interface DocumentTab {
  id: DocumentId;
  name: string;
}

export interface DocumentsState {
  /** Every open document, in the order they were opened; the shown one among them. */
  tabs: DocumentTab[];
  /** The document in the editor (document-store holds its state); null before any is opened. */
  activeId: DocumentId | null;
  /** Every open document but the shown one. */
  parked: Record<DocumentId, ParkedDocument>;
  /** Why switching documents is refused right now (a batch writing into them), or null. */
  busy: string | null;
}

export interface DocumentsActions {
  /** Adds a document after the others; `parked` unless it becomes the shown one. */
  add(tab: DocumentTab, parked?: ParkedDocument): void;
  /** Marks `id` as the shown document; its parked copy is dropped (the editor now holds it). */
  activate(id: DocumentId | null): void;
  /** Keeps `doc` as the copy of a document that is not shown. */
  park(doc: ParkedDocument): void;
  remove(id: DocumentId): void;
  clear(): void;
  setBusy(reason: string | null): void;
}

export type DocumentsStore = DocumentsState & DocumentsActions;

let nextId = 1;

/** A fresh document id, unique across reloads (saved sessions keep theirs). */
export function newDocumentId(): DocumentId {
  return `${Date.now().toString(36)}-${(nextId++).toString(36)}`;
}

/** The documents open in this tab: which is shown and the parked copies of the rest. */
export function createDocumentsStore(initial: Partial<DocumentsState> = {}) {
  return createStore<DocumentsStore>()((set) => ({
    tabs: [],
    activeId: null,
    parked: {},
    busy: null,
    ...initial,
    add: (tab, parked) =>
      set((s) => ({
        tabs: [...s.tabs.filter((t) => t.id !== tab.id), tab],
        parked: parked ? { ...s.parked, [tab.id]: parked } : s.parked,
      })),
    activate: (id) =>
      set((s) => {
        if (id === null) return { activeId: null };
        const { [id]: _shown, ...parked } = s.parked;
        return { activeId: id, parked };
      }),
    park: (doc) =>
      set((s) => ({
        parked: { ...s.parked, [doc.id]: doc },
        tabs: s.tabs.map((t) => (t.id === doc.id ? { ...t, name: doc.name } : t)),
      })),
    remove: (id) =>
      set((s) => {
        const { [id]: _gone, ...parked } = s.parked;
        return {
          tabs: s.tabs.filter((t) => t.id !== id),
          parked,
          activeId: s.activeId === id ? null : s.activeId,
        };
      }),
    clear: () => set({ tabs: [], activeId: null, parked: {} }),
    setBusy: (busy) => set({ busy }),
  }));
}

export type DocumentsStoreApi = ReturnType<typeof createDocumentsStore>;

/** Steps applied to reach the picture a parked document shows. */
export function parkedSteps(doc: ParkedDocument): Step[] {
  return doc.history.slice(0, doc.cursor + 1).map((e) => e.step);
}
