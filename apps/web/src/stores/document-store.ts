import type { EditMetadata, Mask, RgbaImage, Size, Step } from '@loupe/shared';
import { createStore } from 'zustand/vanilla';
import { bytesOverBudget, historyBudgetBytes } from './history-budget';
import { onePicture, shownVariation, type Variation } from './variations';

/** The picture the user opened, with what the upload panel shows about the file. */
export interface SourceImage {
  image: RgbaImage;
  name: string;
  bytes: number;
  /** Format in the user's words, e.g. "PNG", from the sniffed MIME type. */
  format: string;
  /**
   * The file as opened, typed with its sniffed MIME type: what a saved session or a parked
   * document keeps, since the original is the one picture nothing can recompute.
   */
  file?: Blob;
  /**
   * The file as opened, when the server reads exactly `image` from it (a format it decodes, no
   * colour profile, no semi-transparent pixels): a server run from the original sends this
   * instead of re-encoding the pixels. Absent: the pixels are PNG-encoded for upload.
   */
  upload?: Blob;
}

/**
 * Why a step has no picture: it was an intermediate of a run that returned only its last
 * picture (a server job, or one browser call for several steps), or the history budget let it go.
 */
export type PictureGone = 'intermediate' | 'budget';

/** One applied step: what ran and the picture it produced, when that picture is kept. */
export interface HistoryEntry {
  id: number;
  step: Step;
  /** Null when the picture was not kept (`gone` says why); it can be recomputed from an earlier one. */
  image: RgbaImage | null;
  size: Size;
  metadata: EditMetadata;
  gone?: PictureGone;
  /** The mask the step ran with (inpaint, erase): an undo gives it back to the brush, a re-run reuses it. */
  mask?: Mask;
  /**
   * A generative step run with count > 1: every picture it made, in seed order. `step` and
   * `metadata` describe the one shown (see `onePicture`); `pickVariation` shows another. Kept in
   * memory only, under the history budget (a saved session keeps the shown picture's step).
   */
  variations?: Variation[];
}

/** What a run hands the history: a kept picture, or only the step's size when it kept none. */
export type NewHistoryEntry = (
  | { step: Step; metadata: EditMetadata; image: RgbaImage; variations?: Variation[] }
  | { step: Step; metadata: EditMetadata; image: null; size: Size }
) & { mask?: Mask };

export interface DocumentState {
  source: SourceImage | null;
  history: HistoryEntry[];
  /** Index of the shown entry; -1 shows the original. Entries after it are the redo stack. */
  cursor: number;
  /** Set while the panel edits an earlier step for a re-run. */
  editingStep: number | null;
  /** Bytes of pictures the history keeps; older ones beyond it are dropped (never the shown one). */
  budgetBytes: number;
}

/** The document without its settings: what the selectors and run plans read. */
export type DocumentView = Pick<DocumentState, 'source' | 'history' | 'cursor' | 'editingStep'>;

export interface DocumentActions {
  loadSource(source: SourceImage): void;
  /** Shows a whole document (one parked or saved earlier): its original, history and cursor. */
  loadDocument(document: Pick<DocumentState, 'source' | 'history' | 'cursor'>): void;
  /** Replaces every entry after `base` (-1: the original) with `entries` and shows the last. */
  commit(base: number, entries: readonly NewHistoryEntry[]): void;
  undo(): void;
  redo(): void;
  goTo(index: number): void;
  editStep(index: number): void;
  stopEditing(): void;
  /** Puts a recomputed picture back on entry `id` (ignored if the entry is gone). */
  restorePicture(id: number, image: RgbaImage): void;
  /**
   * Shows variation `k` of entry `index` and continues from it: the entry's picture, step and
   * metadata become that variation's, and the entries after it go (they were made from another
   * picture), as any new edit replaces the redo stack. Ignored for a variation not kept.
   */
  pickVariation(index: number, k: number): void;
}

export type DocumentStore = DocumentState & DocumentActions;

let nextId = 1;

/**
 * Entry ids are unique within the tab, across documents: a saved picture is stored under its
 * entry's id. Entries that come back from a saved session keep theirs, so new ones start after.
 */
export function reserveEntryIds(history: readonly { id: number }[]): void {
  for (const e of history) nextId = Math.max(nextId, e.id + 1);
}

export interface DocumentStoreOptions {
  /** Defaults to `historyBudgetBytes(navigator.deviceMemory)`. */
  budgetBytes?: number;
}

/**
 * Drops the oldest kept pictures over the budget, never the shown one. A step's other variations
 * count with it and go before its own picture.
 */
function withinBudget(history: HistoryEntry[], cursor: number, budget: number): HistoryEntry[] {
  const pictures = history.flatMap((e, i) => {
    const shown = shownVariation(e);
    const others = (e.variations ?? []).flatMap((v, k) =>
      k !== shown && v.image ? [{ entry: i, variation: k, image: v.image }] : [],
    );
    return [...others, { entry: i, variation: null, image: e.image }];
  });
  const keep = pictures.findIndex((p) => p.entry === cursor && p.variation === null);
  const drop = bytesOverBudget(
    pictures.map((p) => p.image?.data.byteLength ?? 0),
    keep,
    budget,
  ).map((at) => pictures[at]!);
  if (!drop.length) return history;
  return history.map((e, i) => {
    const mine = drop.filter((d) => d.entry === i);
    if (!mine.length) return e;
    const gone = new Set(mine.map((d) => d.variation));
    const variations = e.variations?.map((v, k) => (gone.has(k) ? { ...v, image: null } : v));
    const kept = { ...e, ...(variations ? { variations } : {}) };
    return gone.has(null) ? { ...kept, image: null, gone: 'budget' as const } : kept;
  });
}

function deviceMemoryGb(): number | null {
  const nav = (globalThis as { navigator?: { deviceMemory?: number } }).navigator;
  return nav?.deviceMemory ?? null;
}

/**
 * The document being edited: the original, the steps applied to it with their pictures, and
 * which one is shown. Framework-free; the UI's own state (op, mode, run status) is in ui-store.
 */
export function createDocumentStore(
  initial: Partial<DocumentState> = {},
  { budgetBytes = historyBudgetBytes(deviceMemoryGb()) }: DocumentStoreOptions = {},
) {
  return createStore<DocumentStore>()((set, get) => ({
    source: null,
    history: [],
    cursor: -1,
    editingStep: null,
    budgetBytes,
    ...initial,
    loadSource: (source) => set({ source, history: [], cursor: -1, editingStep: null }),
    loadDocument: ({ source, history, cursor }) => {
      reserveEntryIds(history);
      const shown = Math.max(-1, Math.min(cursor, history.length - 1));
      set({
        source,
        history: withinBudget(history, shown, get().budgetBytes),
        cursor: shown,
        editingStep: null,
      });
    },
    commit: (base, entries) => {
      if (!entries.length) return;
      const kept = get().history.slice(0, base + 1);
      const added = entries.map((e): HistoryEntry => {
        const mask = e.mask ? { mask: e.mask } : {};
        return e.image
          ? {
              id: nextId++,
              step: e.step,
              metadata: e.metadata,
              image: e.image,
              // A copy: the size must not hold on to the pixels once the budget drops them.
              size: { width: e.image.width, height: e.image.height },
              ...mask,
              ...(e.variations?.length ? { variations: e.variations } : {}),
            }
          : {
              id: nextId++,
              step: e.step,
              metadata: e.metadata,
              image: null,
              size: e.size,
              gone: 'intermediate',
              ...mask,
            };
      });
      const history = [...kept, ...added];
      const cursor = history.length - 1;
      set({ history: withinBudget(history, cursor, get().budgetBytes), cursor, editingStep: null });
    },
    undo: () => set((s) => (s.cursor >= 0 ? { cursor: s.cursor - 1, editingStep: null } : s)),
    redo: () =>
      set((s) =>
        s.cursor < s.history.length - 1 ? { cursor: s.cursor + 1, editingStep: null } : s,
      ),
    goTo: (index) =>
      set((s) => ({
        cursor: Math.max(-1, Math.min(index, s.history.length - 1)),
        editingStep: null,
      })),
    editStep: (index) => {
      if (get().history[index]) set({ editingStep: index });
    },
    stopEditing: () => set({ editingStep: null }),
    restorePicture: (id, image) => {
      const s = get();
      const at = s.history.findIndex((e) => e.id === id);
      if (at < 0) return;
      const history = s.history.map((e, i) => {
        if (i !== at) return e;
        const { gone: _gone, ...rest } = e;
        const shown = shownVariation(e);
        const variations = e.variations?.map((v, k) => (k === shown ? { ...v, image } : v));
        return {
          ...rest,
          image,
          size: { width: image.width, height: image.height },
          ...(variations ? { variations } : {}),
        };
      });
      // The restored picture is shown, so it is the one the budget keeps.
      set({ history: withinBudget(history, s.cursor === at ? at : s.cursor, s.budgetBytes) });
    },
    pickVariation: (index, k) => {
      const s = get();
      const entry = s.history[index];
      const picked = entry?.variations?.[k];
      if (!entry || !picked?.image) return;
      const { gone: _gone, ...rest } = entry;
      const shown: HistoryEntry = {
        ...rest,
        ...onePicture(entry.step, entry.metadata, picked.seed),
        image: picked.image,
        size: { width: picked.image.width, height: picked.image.height },
      };
      const history = [...s.history.slice(0, index), shown];
      set({
        history: withinBudget(history, index, s.budgetBytes),
        cursor: index,
        editingStep: null,
      });
    },
  }));
}

export type DocumentStoreApi = ReturnType<typeof createDocumentStore>;

/** The picture the next step applies to: the shown entry's result, or the original; null if not kept. */
export function currentImage(s: DocumentView): RgbaImage | null {
  return s.cursor >= 0 ? (s.history[s.cursor]?.image ?? null) : (s.source?.image ?? null);
}

/** The shown picture's size, known even when its pixels were not kept. */
export function currentSize(s: DocumentView): Size | null {
  return s.cursor >= 0 ? (s.history[s.cursor]?.size ?? null) : (s.source?.image ?? null);
}

/** Steps applied to reach the shown picture, for file names and the server's pipeline. */
export function appliedSteps(s: DocumentView): Step[] {
  return s.history.slice(0, s.cursor + 1).map((e) => e.step);
}

/**
 * The nearest kept picture at or before `index` (-1: the original) and the steps from it to
 * `index`: what recomputes a picture that was not kept.
 */
export function nearestKept(
  s: DocumentView,
  index: number,
): { base: number; image: RgbaImage | null; steps: Step[]; masks: (Mask | undefined)[] } {
  let base = index;
  while (base >= 0 && !s.history[base]?.image) base--;
  const image = base >= 0 ? s.history[base]!.image : (s.source?.image ?? null);
  const entries = s.history.slice(base + 1, index + 1);
  return { base, image, steps: entries.map((e) => e.step), masks: entries.map((e) => e.mask) };
}

export const canUndo = (s: DocumentView) => s.cursor >= 0;
export const canRedo = (s: DocumentView) => s.cursor < s.history.length - 1;
