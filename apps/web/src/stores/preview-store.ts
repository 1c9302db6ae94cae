import type { RgbaImage, Size } from '@loupe/shared';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

/** The result pane as the viewer lays it out: CSS px, the ratio to device px, and the zoom. */
export interface PreviewScreen {
  readonly width: number;
  readonly height: number;
  readonly dpr: number;
  /** CSS px per picture px; absent before the view is fitted. */
  readonly zoom?: number;
}

/** A preview picture, smaller than the result it stands for, laid out at that result's size. */
export interface ShownPreview {
  readonly image: RgbaImage;
  /** The size of the full-resolution result, which the viewer lays the preview out at. */
  readonly size: Size;
  /** Said beside the pane's `Preview` badge, e.g. a denoising preview's `step 3/20`. */
  readonly label?: string;
}

export interface PreviewState {
  /** The `Live preview` switch: previewable ops preview while a control moves and commit on release. */
  live: boolean;
  /** Where previews are shown, so they are made no larger than the screen shows them. */
  screen: PreviewScreen | null;
  /** Shown in the result pane instead of the current picture until a full-resolution result lands. */
  shown: ShownPreview | null;
}

export interface PreviewActions {
  setLive(live: boolean): void;
  setScreen(screen: PreviewScreen | null): void;
  show(preview: ShownPreview): void;
  clear(): void;
}

export type PreviewStore = PreviewState & PreviewActions;

/**
 * The live preview's state: pictures the history never holds (they never count against its
 * budget), the switch, and the screen previews are sized for. Framework-free like the others.
 */
export function createPreviewStore(initial: Partial<PreviewState> = {}) {
  return createStore<PreviewStore>()((set) => ({
    live: true,
    screen: null,
    shown: null,
    ...initial,
    setLive: (live) => set(live ? { live } : { live, shown: null }),
    setScreen: (screen) => set({ screen }),
    show: (shown) => set({ shown }),
    clear: () => set((s) => (s.shown ? { shown: null } : s)),
  }));
}

export type PreviewStoreApi = ReturnType<typeof createPreviewStore>;

export const previewStore = createPreviewStore();

export function usePreview<T>(selector: (s: PreviewStore) => T): T {
  return useStore(previewStore, selector);
}
