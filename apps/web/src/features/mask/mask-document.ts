import type { Mask, Size } from '@loupe/shared';
import { feather } from './feather';
import { paintStroke, type Stroke } from './strokes';

/**
 * What the brush has painted on one picture: a starting mask (one restored from history), the
 * strokes over it in order, and how the result is finished (feather, invert). Plain data: the
 * mask it stands for is `maskOf(document)`, the same bytes every time.
 */
export interface MaskDocument {
  readonly size: Size;
  /** The mask the strokes paint over; absent: nothing selected. */
  readonly base?: Mask;
  readonly strokes: readonly Stroke[];
  /** Edge softness in image pixels (see `feather`). */
  readonly feather: number;
  /** Select everything the strokes leave out instead. */
  readonly invert: boolean;
}

export function emptyMaskDocument(size: Size): MaskDocument {
  return {
    size: { width: size.width, height: size.height },
    strokes: [],
    feather: 0,
    invert: false,
  };
}

/** A document that starts from `mask` as it ran: no strokes, nothing more to soften or invert. */
export function maskDocumentFrom(mask: Mask): MaskDocument {
  return { ...emptyMaskDocument(mask), base: mask };
}

/** The painted coverage before feather and invert: the base with every stroke applied. */
export function coverageOf(doc: MaskDocument): Uint8Array {
  const { width, height } = doc.size;
  const coverage = doc.base ? doc.base.data.slice() : new Uint8Array(width * height);
  for (const stroke of doc.strokes) paintStroke(coverage, doc.size, stroke);
  return coverage;
}

/** The coverage finished into the mask an edit takes: feathered, then inverted if asked. */
export function finishMask(doc: MaskDocument, coverage: Uint8Array): Mask {
  const data = feather(coverage, doc.size, doc.feather);
  if (doc.invert) for (let i = 0; i < data.length; i++) data[i] = 255 - data[i]!;
  return { width: doc.size.width, height: doc.size.height, data };
}

/**
 * The mask `doc` stands for, at its picture's size.
 *
 * @example maskOf({ size: { width: 4, height: 1 }, strokes: [], feather: 0, invert: true }).data
 *   // [255, 255, 255, 255]
 */
export function maskOf(doc: MaskDocument): Mask {
  return finishMask(doc, coverageOf(doc));
}

/** Adds a stroke (the brush's new one, or the eraser's). */
export function withStroke(doc: MaskDocument, stroke: Stroke): MaskDocument {
  return { ...doc, strokes: [...doc.strokes, stroke] };
}

/** The document before its last stroke, and that stroke (for a redo); null when there is none. */
export function withoutLastStroke(doc: MaskDocument): { doc: MaskDocument; stroke: Stroke } | null {
  const stroke = doc.strokes.at(-1);
  return stroke ? { doc: { ...doc, strokes: doc.strokes.slice(0, -1) }, stroke } : null;
}

/** Nothing selected: what a Clear leaves, keeping the feather and invert settings. */
export function cleared(doc: MaskDocument): MaskDocument {
  const { base: _base, ...rest } = doc;
  return { ...rest, strokes: [] };
}
