import { maskIsEmpty, type Mask, type Size } from '@loupe/shared';
import { createStore } from 'zustand/vanilla';
import { DEFAULT_BRUSH_RADIUS, MAX_FEATHER, stepBrushRadius } from './brush-size';
import {
  cleared,
  coverageOf,
  emptyMaskDocument,
  finishMask,
  maskDocumentFrom,
  withStroke,
  withoutLastStroke,
  type MaskDocument,
} from './mask-document';
import { paintStroke, type BrushTool, type Stroke, type StrokePoint } from './strokes';

export interface MaskBrushState {
  /** Which picture the document is painted on (see `MaskBrush.follow`); null: none yet. */
  readonly slot: string | null;
  readonly doc: MaskDocument | null;
  /** The mask `doc` stands for; null without a picture. Replaced on every change, never mutated. */
  readonly mask: Mask | null;
  /** Bumped as a stroke in progress paints, so the overlay redraws `paintingCoverage`. */
  readonly painting: number | null;
  readonly tool: BrushTool;
  readonly radius: number;
  /** Strokes undone, newest last, for a redo; cleared by a new stroke. */
  readonly undone: readonly Stroke[];
}

/** Finished documents by the mask they made, so an undo back to one gives its strokes back. */
const documents = new WeakMap<Mask, MaskDocument>();

export function finished(doc: MaskDocument): Mask {
  const mask = finishMask(doc, coverageOf(doc));
  documents.set(mask, doc);
  return mask;
}

/**
 * The editor's mask brush: framework-free. It paints on one picture at a time (a slot the
 * editor names), keeps its own stroke stack for undo and redo, and hands out the finished mask.
 *
 * @example
 * const brush = createMaskBrush();
 * brush.getState().follow('source', { width: 640, height: 480 });
 * brush.getState().begin({ x: 10, y: 10 }); brush.getState().extend({ x: 40, y: 10 }); brush.getState().end();
 * brush.getState().mask // 640×480, 255 along the stroke
 */
export function createMaskBrush() {
  // The stroke being painted and its coverage, painted into as points arrive: not state, so
  // a pointer move costs one segment, not a copy of the picture's mask.
  let stroke: { points: StrokePoint[]; tool: BrushTool; radius: number } | null = null;
  let coverage: Uint8Array | null = null;
  return createStore<MaskBrushState & MaskBrushActions>()((set, get) => {
    const commit = (doc: MaskDocument, undone: readonly Stroke[] = get().undone) =>
      set({ doc, mask: finished(doc), undone, painting: null });
    return {
      slot: null,
      doc: null,
      mask: null,
      painting: null,
      tool: 'brush',
      radius: DEFAULT_BRUSH_RADIUS,
      undone: [],
      follow: (slot, size, restore) => {
        if (get().slot === slot) return;
        stroke = null;
        if (!size) return set({ slot, doc: null, mask: null, painting: null, undone: [] });
        const fits = restore && restore.width === size.width && restore.height === size.height;
        const doc = fits
          ? (documents.get(restore) ?? maskDocumentFrom(restore))
          : { ...emptyMaskDocument(size), feather: get().doc?.feather ?? 0 };
        set({ slot, doc, mask: fits ? restore : finished(doc), painting: null, undone: [] });
      },
      begin: (point) => {
        const { doc, tool, radius } = get();
        if (!doc) return;
        stroke = { points: [point], tool, radius };
        coverage = coverageOf(doc);
        paintStroke(coverage, doc.size, stroke);
        set({ painting: (get().painting ?? 0) + 1 });
      },
      extend: (point) => {
        const { doc } = get();
        if (!stroke || !coverage || !doc) return;
        stroke.points.push(point);
        paintStroke(coverage, doc.size, stroke, stroke.points.length - 1);
        set({ painting: (get().painting ?? 0) + 1 });
      },
      end: () => {
        const { doc } = get();
        const done = stroke;
        stroke = null;
        coverage = null;
        if (!done || !doc) return;
        commit(withStroke(doc, { ...done, points: [...done.points] }), []);
      },
      abandon: () => {
        stroke = null;
        coverage = null;
        set({ painting: null });
      },
      paintingCoverage: () => (stroke ? coverage : null),
      undoStroke: () => {
        const { doc, undone } = get();
        const before = doc && withoutLastStroke(doc);
        if (!before) return false;
        commit(before.doc, [...undone, before.stroke]);
        return true;
      },
      redoStroke: () => {
        const { doc, undone } = get();
        const next = undone.at(-1);
        if (!doc || !next) return false;
        commit(withStroke(doc, next), undone.slice(0, -1));
        return true;
      },
      clear: () => {
        const { doc } = get();
        if (doc) commit(cleared(doc), []);
      },
      setTool: (tool) => set({ tool }),
      setRadius: (radius) => set({ radius }),
      stepRadius: (direction) => set((s) => ({ radius: stepBrushRadius(s.radius, direction) })),
      setFeather: (feather) => {
        const { doc } = get();
        if (doc) commit({ ...doc, feather: Math.max(0, Math.min(MAX_FEATHER, feather)) });
      },
      setInvert: (invert) => {
        const { doc } = get();
        if (doc) commit({ ...doc, invert });
      },
    };
  });
}

export interface MaskBrushActions {
  /**
   * Paints on the picture named `slot` from now on, of `size` (null: none to paint on). A new
   * slot starts from `restore` when it fits (the mask its step ran with, for an undo), else
   * from nothing. The same slot again changes nothing.
   */
  follow(slot: string, size: Size | null, restore?: Mask): void;
  begin(point: StrokePoint): void;
  extend(point: StrokePoint): void;
  end(): void;
  /** Drops the stroke in progress (a second finger came down: a pinch, not a stroke). */
  abandon(): void;
  /** The coverage of the stroke in progress, before feather and invert; null when none. */
  paintingCoverage(): Uint8Array | null;
  /** False when there is no stroke to undo (or redo). */
  undoStroke(): boolean;
  redoStroke(): boolean;
  clear(): void;
  setTool(tool: BrushTool): void;
  setRadius(radius: number): void;
  stepRadius(direction: 1 | -1): void;
  setFeather(feather: number): void;
  setInvert(invert: boolean): void;
}

export type MaskBrushApi = ReturnType<typeof createMaskBrush>;

const emptiness = new WeakMap<Mask, boolean>();

/** The mask to run with; null when none is painted, since an empty mask would change nothing. */
export function runnableMask(state: Pick<MaskBrushState, 'mask'>): Mask | null {
  const { mask } = state;
  if (!mask) return null;
  let empty = emptiness.get(mask);
  if (empty === undefined) emptiness.set(mask, (empty = maskIsEmpty(mask)));
  return empty ? null : mask;
}

/** This tab's brush. */
export const maskBrush = createMaskBrush();
