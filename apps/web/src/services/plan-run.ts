import { pipelineSizes, type RgbaImage, type Size, type Step } from '@loupe/shared';
import { nearestKept, type DocumentView, type NewHistoryEntry } from '../stores/document-store';
import type { PlaceRequest } from './run-service';

/** What a Run applies and where its results go in the history. */
export interface RunPlan {
  /** History index the run starts after (-1: the original); entries after it are replaced. */
  base: number;
  /** The kept picture at `base`. */
  image: RgbaImage;
  /** Every step from `base` on: the new or edited step, with any it must recompute before or after it. */
  steps: Step[];
  /** Where the new or edited step is in `steps`; the ones before it recompute pictures not kept. */
  tuned: number;
  /** The file as opened, when the run starts from it and the server may be sent it as it is. */
  original?: Blob;
}

/** The opened file goes with a plan that starts from the original picture (`base` -1). */
function fromOriginal(doc: DocumentView, base: number): { original?: Blob } {
  const upload = base === -1 ? doc.source?.upload : undefined;
  return upload ? { original: upload } : {};
}

/**
 * The steps a Run applies and the picture they start from: the next step after the shown
 * picture, or an edited earlier step and those after it. Either starts from the nearest kept
 * picture, so steps whose pictures were not kept are recomputed on the way.
 *
 * @example planRun(doc, blur) // shown step 3, its picture kept: { base: 2, image, steps: [blur] }
 */
export function planRun(doc: DocumentView, step: Step): RunPlan | null {
  const editing = doc.editingStep;
  const before = editing === null ? doc.cursor : editing - 1;
  const { base, image, steps } = nearestKept(doc, before);
  if (!image) return null;
  const later =
    editing === null
      ? []
      : doc.history.slice(editing + 1, Math.max(doc.cursor, editing) + 1).map((e) => e.step);
  return {
    base,
    image,
    steps: [...steps, step, ...later],
    tuned: steps.length,
    ...fromOriginal(doc, base),
  };
}

/** A picture that was not kept, and how to recompute it from the nearest kept one before it. */
export function planRestore(doc: DocumentView, index: number): RunPlan | null {
  const entry = doc.history[index];
  if (!entry || entry.image) return null;
  const { base, image, steps } = nearestKept(doc, index);
  return image ? { base, image, steps, tuned: steps.length - 1, ...fromOriginal(doc, base) } : null;
}

/** What placement is asked about for a plan: its picture's size, its steps, the original's bytes. */
export function placeRequest(plan: RunPlan): PlaceRequest {
  return {
    size: plan.image,
    steps: plan.steps,
    ...(plan.original ? { originalBytes: plan.original.size } : {}),
  };
}

/**
 * History entries for a run's steps: sizes for every step, the picture for the last one only,
 * since one worker call or one server job returns only its final picture.
 */
export function historyEntries(
  steps: readonly Step[],
  input: Size,
  result: { image: RgbaImage; metadata: NewHistoryEntry['metadata'] },
): NewHistoryEntry[] {
  const sizes = pipelineSizes(steps, input);
  return steps.map((step, i) =>
    i === steps.length - 1
      ? { step, metadata: result.metadata, image: result.image }
      : { step, metadata: result.metadata, image: null, size: sizes[i]! },
  );
}
