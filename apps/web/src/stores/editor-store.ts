import type {
  BrowserEp,
  EditMetadata,
  OpId,
  PlacementMode,
  Progress,
  RgbaImage,
  Step,
} from '@loupe/shared';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { defaultValues, paramFields, type ParamValues } from '../features/params/schema-fields';

/** The picture the user opened, with what the upload panel shows about the file. */
export interface SourceImage {
  image: RgbaImage;
  name: string;
  bytes: number;
  /** Format in the user's words, e.g. "PNG", from the sniffed MIME type. */
  format: string;
}

/** One applied step: what ran and the picture it produced. */
export interface HistoryEntry {
  id: number;
  step: Step;
  image: RgbaImage;
  metadata: EditMetadata;
}

export type RunStatus =
  | { kind: 'idle' }
  | {
      kind: 'running';
      where: 'browser' | 'server';
      stage: string;
      progress?: Progress;
      startedAt: number;
      /** Label of the step being (re)run, e.g. "Upscale (2 of 3)". */
      label: string;
    };

export type Notice = {
  id: number;
  tone: 'error' | 'info' | 'success';
  title: string;
  detail?: string;
};

export type CompareMode = 'split' | 'side-by-side';

/** Zoom (image px → CSS px) and the image's top-left offset inside the viewport, shared by every pane. */
export interface View {
  zoom: number;
  x: number;
  y: number;
}

export interface EditorState {
  source: SourceImage | null;
  history: HistoryEntry[];
  /** Index of the shown entry; -1 shows the original. Entries after it are the redo stack. */
  cursor: number;
  op: OpId;
  params: ParamValues;
  /** Set while the panel edits an earlier step for a re-run. */
  editingStep: number | null;
  mode: PlacementMode;
  /** A browser EP the user forces (GPU panel); null lets the policy pick (it avoids software WebGPU). */
  browserEp: BrowserEp | null;
  run: RunStatus;
  notices: Notice[];
  compareMode: CompareMode;
  split: number;
  view: View | null;
  showOriginal: boolean;
  gpuPanelOpen: boolean;
}

export interface EditorActions {
  loadSource(source: SourceImage): void;
  /** Replaces every entry after `base` (-1: the original) with `entries` and shows the last. */
  commit(base: number, entries: Omit<HistoryEntry, 'id'>[]): void;
  undo(): void;
  redo(): void;
  goTo(index: number): void;
  selectOp(op: OpId): void;
  setParam(key: string, value: ParamValues[string]): void;
  setParams(params: ParamValues): void;
  resetParams(): void;
  editStep(index: number): void;
  stopEditing(): void;
  setMode(mode: PlacementMode): void;
  setBrowserEp(ep: BrowserEp | null): void;
  setRun(run: RunStatus): void;
  notify(notice: Omit<Notice, 'id'>): void;
  dismiss(id: number): void;
  setCompareMode(mode: CompareMode): void;
  setSplit(split: number): void;
  setView(view: View | null): void;
  setShowOriginal(show: boolean): void;
  setGpuPanelOpen(open: boolean): void;
}

export type EditorStore = EditorState & EditorActions;

let nextId = 1;
const DEFAULT_OP: OpId = 'upscale';

export function initialEditorState(): EditorState {
  return {
    source: null,
    history: [],
    cursor: -1,
    op: DEFAULT_OP,
    params: defaultValues(paramFields(DEFAULT_OP)),
    editingStep: null,
    mode: 'auto',
    browserEp: null,
    run: { kind: 'idle' },
    notices: [],
    compareMode: 'split',
    split: 50,
    view: null,
    showOriginal: false,
    gpuPanelOpen: false,
  };
}

/** A fresh store; the app uses one, tests make their own. */
export function createEditorStore(initial: Partial<EditorState> = {}) {
  return createStore<EditorStore>()((set, get) => ({
    ...initialEditorState(),
    ...initial,
    loadSource: (source) => set({ source, history: [], cursor: -1, editingStep: null, view: null }),
    commit: (base, entries) => {
      if (!entries.length) return;
      const kept = get().history.slice(0, base + 1);
      const history = [...kept, ...entries.map((e) => ({ ...e, id: nextId++ }))];
      set({ history, cursor: history.length - 1, editingStep: null });
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
    selectOp: (op) => set({ op, params: defaultValues(paramFields(op)), editingStep: null }),
    setParam: (key, value) => set((s) => ({ params: { ...s.params, [key]: value } })),
    setParams: (params) =>
      set((s) => ({ params: { ...defaultValues(paramFields(s.op)), ...params } })),
    resetParams: () => set((s) => ({ params: defaultValues(paramFields(s.op)) })),
    editStep: (index) => {
      const entry = get().history[index];
      if (!entry) return;
      const op = entry.step.op;
      set({
        op,
        params: { ...defaultValues(paramFields(op)), ...(entry.step.params as ParamValues) },
        editingStep: index,
      });
    },
    stopEditing: () => set({ editingStep: null }),
    setMode: (mode) => set({ mode }),
    setBrowserEp: (browserEp) => set({ browserEp }),
    setRun: (run) => set({ run }),
    notify: (notice) =>
      set((s) => ({ notices: [...s.notices.slice(-3), { ...notice, id: nextId++ }] })),
    dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
    setCompareMode: (compareMode) => set({ compareMode }),
    setSplit: (split) => set({ split: Math.max(0, Math.min(100, split)) }),
    setView: (view) => set({ view }),
    setShowOriginal: (showOriginal) => set({ showOriginal }),
    setGpuPanelOpen: (gpuPanelOpen) => set({ gpuPanelOpen }),
  }));
}

export type EditorStoreApi = ReturnType<typeof createEditorStore>;

/** The picture the next step applies to: the shown entry's result, or the original. */
export function currentImage(s: EditorState): RgbaImage | null {
  return s.cursor >= 0 ? (s.history[s.cursor]?.image ?? null) : (s.source?.image ?? null);
}

/** Steps applied to reach the shown picture, for file names and the server's pipeline. */
export function appliedSteps(s: EditorState): Step[] {
  return s.history.slice(0, s.cursor + 1).map((e) => e.step);
}

export const canUndo = (s: EditorState) => s.cursor >= 0;
export const canRedo = (s: EditorState) => s.cursor < s.history.length - 1;

export const editorStore = createEditorStore();

export function useEditor<T>(selector: (s: EditorStore) => T): T {
  return useStore(editorStore, selector);
}
