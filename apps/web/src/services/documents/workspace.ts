import type { RgbaImage, Step } from '@loupe/shared';
import {
  appliedSteps,
  createDocumentStore,
  currentImage,
  reserveEntryIds,
  type DocumentStoreApi,
  type SourceImage,
} from '../../stores/document-store';
import {
  newDocumentId,
  parkedSteps,
  type DocumentId,
  type DocumentsStoreApi,
  type ParkedDocument,
} from '../../stores/documents-store';
import type { UiStoreApi } from '../../stores/ui-store';
import { unpackPicture } from '../../lib/picture-pack';
import { parkDocument, unparkDocument, type OpenDocument } from './park';

export interface WorkspaceDeps {
  readonly document: DocumentStoreApi;
  readonly documents: DocumentsStoreApi;
  readonly ui: UiStoreApi;
  /** The browser's image decoder (the same one that opened the file). */
  decode(file: Blob): Promise<RgbaImage>;
}

/** Every open document in tab order, as a saved session holds them. */
export interface WorkspaceSnapshot {
  activeId: DocumentId | null;
  documents: ParkedDocument[];
}

export interface Workspace {
  /**
   * Shows `source` as a new document. The shown one is kept as a document to go back to when
   * `keepShown` (it has work in it), else it is closed: nothing with steps is lost.
   */
  open(source: SourceImage, options: { keepShown: boolean }): Promise<DocumentId>;
  /** Adds a document without showing it (a file of a batch). */
  add(doc: ParkedDocument): void;
  /** Shows document `id`; the shown one is parked with its history. False if it is gone. */
  switchTo(id: DocumentId): Promise<boolean>;
  /** Closes a document; closing the shown one shows its neighbour, or nothing. */
  close(id: DocumentId): Promise<void>;
  /**
   * Runs `change` on document `id` as a document store: the editor's own for the shown one,
   * else a store over the unparked document, parked again afterwards.
   */
  edit<T>(id: DocumentId, change: (doc: DocumentStoreApi) => Promise<T>): Promise<T>;
  /** Steps applied to reach the picture document `id` shows ([] if it is not open). */
  stepsOf(id: DocumentId): Step[];
  /** The picture document `id` shows; null when it was not kept (or the document is not open). */
  shownPicture(id: DocumentId): Promise<RgbaImage | null>;
  snapshot(): Promise<WorkspaceSnapshot>;
  /** Puts saved documents back; shows `activeId` unless a document was opened meanwhile. */
  restore(saved: WorkspaceSnapshot): Promise<void>;
  /** Closes every document. */
  clear(): void;
}

const EMPTY: Pick<OpenDocument, 'history' | 'cursor'> & { source: null } = {
  source: null,
  history: [],
  cursor: -1,
};

/**
 * The documents open in this tab, like an editor's tabs: one is in the editor (the document
 * store), the others are parked (packed pictures, the file as opened). Switching parks one and
 * unparks the other through the same code that saves and restores a session, so both stay exact.
 */
export function createWorkspace({ document, documents, ui, decode }: WorkspaceDeps): Workspace {
  const show = (doc: OpenDocument | typeof EMPTY) => {
    document.getState().loadDocument(doc);
    ui.getState().setView(null);
  };
  const shownDocument = (): OpenDocument | null => {
    const d = document.getState();
    return d.source ? { source: d.source, history: d.history, cursor: d.cursor } : null;
  };
  const unpark = (doc: ParkedDocument) =>
    unparkDocument(doc, { decode, budgetBytes: document.getState().budgetBytes });
  /** Parks the shown document, if there is one. */
  const parkShown = async () => {
    const id = documents.getState().activeId;
    const shown = shownDocument();
    if (id && shown) documents.getState().park(await parkDocument(id, shown));
  };
  // Opening, switching and closing each read, then change, the shown document: one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };

  const switchTo = async (id: DocumentId): Promise<boolean> => {
    const s = documents.getState();
    if (s.activeId === id) return true;
    const target = s.parked[id];
    if (!target) return false;
    // Unparked before anything changes: a file that no longer decodes leaves all as it was.
    const doc = await unpark(target);
    await parkShown();
    documents.getState().activate(id);
    show(doc);
    return true;
  };

  return {
    open: (source, { keepShown }) =>
      serially(async () => {
        const { activeId } = documents.getState();
        if (activeId && keepShown) await parkShown();
        else if (activeId) documents.getState().remove(activeId);
        const id = newDocumentId();
        documents.getState().add({ id, name: source.name });
        documents.getState().activate(id);
        document.getState().loadSource(source);
        ui.getState().setView(null);
        return id;
      }),

    add: (doc) => {
      reserveEntryIds(doc.history);
      documents.getState().add({ id: doc.id, name: doc.name }, doc);
    },

    switchTo: (id) => serially(() => switchTo(id)),

    close: (id) =>
      serially(async () => {
        const { activeId, tabs } = documents.getState();
        if (id !== activeId) return documents.getState().remove(id);
        const at = tabs.findIndex((t) => t.id === id);
        const neighbour = tabs[at + 1] ?? tabs[at - 1];
        documents.getState().remove(id);
        if (neighbour) {
          const doc = await unpark(documents.getState().parked[neighbour.id]!);
          documents.getState().activate(neighbour.id);
          show(doc);
        } else show(EMPTY);
      }),

    async edit(id, change) {
      if (documents.getState().activeId === id) return change(document);
      const parked = documents.getState().parked[id];
      if (!parked) throw new Error(`document ${id} is not open`);
      const store = createDocumentStore({}, { budgetBytes: document.getState().budgetBytes });
      store.getState().loadDocument(await unpark(parked));
      const out = await change(store);
      const s = store.getState();
      // Closed while it changed: nothing to park it into.
      if (documents.getState().parked[id] && s.source)
        documents
          .getState()
          .park(await parkDocument(id, { source: s.source, history: s.history, cursor: s.cursor }));
      return out;
    },

    stepsOf(id) {
      const s = documents.getState();
      if (s.activeId === id) return appliedSteps(document.getState());
      const parked = s.parked[id];
      return parked ? parkedSteps(parked) : [];
    },

    async shownPicture(id) {
      const s = documents.getState();
      if (s.activeId === id) return currentImage(document.getState());
      const parked = s.parked[id];
      if (!parked) return null;
      if (parked.cursor < 0) return decode(parked.file);
      const picture = parked.history[parked.cursor]?.picture;
      return picture ? unpackPicture(picture) : null;
    },

    async snapshot() {
      const { tabs, activeId, parked } = documents.getState();
      const shown = shownDocument();
      const packed = await Promise.all(
        tabs.map((t) =>
          t.id === activeId && shown ? parkDocument(t.id, shown) : (parked[t.id] ?? null),
        ),
      );
      return { activeId, documents: packed.filter((d): d is ParkedDocument => d !== null) };
    },

    restore: (saved) =>
      serially(async () => {
        for (const doc of saved.documents) {
          reserveEntryIds(doc.history);
          documents.getState().add({ id: doc.id, name: doc.name }, doc);
        }
        const first = saved.activeId ?? saved.documents[0]?.id;
        if (documents.getState().activeId === null && first) await switchTo(first);
      }),

    clear() {
      documents.getState().clear();
      show(EMPTY);
    },
  };
}
