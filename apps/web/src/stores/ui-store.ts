import {
  opDefaults,
  type BrowserEp,
  type OpId,
  type PlacementMode,
  type Progress,
  type Step,
} from '@loupe/shared';
import { createStore } from 'zustand/vanilla';

export type ParamValue = string | number | boolean;
export type ParamValues = Record<string, ParamValue>;

export type RunStatus =
  | { kind: 'idle' }
  | {
      kind: 'running';
      where: 'browser' | 'server';
      stage: string;
      progress?: Progress;
      startedAt: number;
      /** What is being (re)run, e.g. "Upscale" or "Upscale, Invert, Blur". */
      label: string;
      /** How long the whole run should take, as the time model predicted it when it was placed. */
      estimateMs?: number;
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

export interface UiState {
  op: OpId;
  params: ParamValues;
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

export interface UiActions {
  selectOp(op: OpId): void;
  /** Shows a step's op and parameters in the panel (editing an earlier step). */
  loadStep(step: Step): void;
  setParam(key: string, value: ParamValue): void;
  setParams(params: ParamValues): void;
  resetParams(): void;
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

export type UiStore = UiState & UiActions;

/**
 * An op's parameters as its shared schema fills them in when none are given. A generative op's
 * `model` and `prompt` have no default: the prompt panel fills them in.
 */
export function defaultParams(op: OpId): ParamValues {
  return opDefaults(op) as unknown as ParamValues;
}

let nextId = 1;
const DEFAULT_OP: OpId = 'upscale';

export function initialUiState(): UiState {
  return {
    op: DEFAULT_OP,
    params: defaultParams(DEFAULT_OP),
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

/** The editor's UI state: what the panels show and choose. The document itself is in document-store. */
export function createUiStore(initial: Partial<UiState> = {}) {
  return createStore<UiStore>()((set) => ({
    ...initialUiState(),
    ...initial,
    selectOp: (op) => set({ op, params: defaultParams(op) }),
    loadStep: (step) =>
      set({ op: step.op, params: { ...defaultParams(step.op), ...(step.params as ParamValues) } }),
    setParam: (key, value) => set((s) => ({ params: { ...s.params, [key]: value } })),
    setParams: (params) => set((s) => ({ params: { ...defaultParams(s.op), ...params } })),
    resetParams: () => set((s) => ({ params: defaultParams(s.op) })),
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

export type UiStoreApi = ReturnType<typeof createUiStore>;
