import { OPS, pipelineSizes, type Mask, type RgbaImage, type Size, type Step } from '@loupe/shared';
import { nearestKept, type DocumentView, type NewHistoryEntry } from '../stores/document-store';
import { onePicture, variationsOf } from '../stores/variations';
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
  /** Beside `steps`: the mask each step runs with (inpaint, erase); absent when none takes one. */
  masks?: readonly (Mask | undefined)[];
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
export function planRun(doc: DocumentView, step: Step, mask?: Mask): RunPlan | null {
  const editing = doc.editingStep;
  const before = editing === null ? doc.cursor : editing - 1;
  const { base, image, steps, masks } = nearestKept(doc, before);
  if (!image) return null;
  const laterEntries =
    editing === null ? [] : doc.history.slice(editing + 1, Math.max(doc.cursor, editing) + 1);
  // A re-run of a masked step keeps its mask unless the brush gives it another.
  const own = mask ?? (editing === null ? undefined : doc.history[editing]?.mask);
  const allMasks = [...masks, own, ...laterEntries.map((e) => e.mask)];
  return {
    base,
    image,
    steps: [...steps, step, ...laterEntries.map((e) => e.step)],
    tuned: steps.length,
    ...fromOriginal(doc, base),
    ...(allMasks.some(Boolean) ? { masks: allMasks } : {}),
  };
}

/** A picture that was not kept, and how to recompute it from the nearest kept one before it. */
export function planRestore(doc: DocumentView, index: number): RunPlan | null {
  const entry = doc.history[index];
  if (!entry || entry.image) return null;
  const { base, image, steps, masks } = nearestKept(doc, index);
  if (!image) return null;
  return {
    base,
    image,
    steps,
    tuned: steps.length - 1,
    ...fromOriginal(doc, base),
    ...(masks.some(Boolean) ? { masks } : {}),
  };
}

/** One call to the run service: steps that run together, and the mask the first of them takes. */
export interface RunSegment {
  /** Where the segment starts in the plan's steps. */
  readonly from: number;
  readonly steps: Step[];
  readonly mask?: Mask;
}

/**
 * A plan cut where a step reads a mask: the engine gives a run's mask to its first step only
 * (`pipelineMaskIssues`), so each masked step starts a run of its own, and the picture before
 * it is the one its mask was painted on. A plan with no masked step is one segment.
 *
 * @example runSegments({ steps: [blur, erase, invert], masks: [undefined, m, undefined], … })
 *   // [{ from: 0, steps: [blur] }, { from: 1, steps: [erase, invert], mask: m }]
 */
export function runSegments(plan: Pick<RunPlan, 'steps' | 'masks'>): RunSegment[] {
  const segments: { from: number; steps: Step[]; mask?: Mask }[] = [];
  plan.steps.forEach((step, i) => {
    const mask = plan.masks?.[i];
    if (!segments.length || OPS[step.op].inputs.mask)
      segments.push({ from: i, steps: [step], ...(mask ? { mask } : {}) });
    else segments.at(-1)!.steps.push(step);
  });
  return segments;
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
 * since one worker call or one server job returns only its final picture. A last step that made
 * several pictures (count > 1) keeps them all as its variations and shows the first.
 */
export function historyEntries(
  steps: readonly Step[],
  input: Size,
  result: {
    image: RgbaImage;
    variations?: readonly RgbaImage[];
    metadata: NewHistoryEntry['metadata'];
  },
  masks?: readonly (Mask | undefined)[],
): NewHistoryEntry[] {
  const sizes = pipelineSizes(steps, input);
  return steps.map((step, i) => {
    const mask = masks?.[i] ? { mask: masks[i] } : {};
    if (i < steps.length - 1)
      return { step, metadata: result.metadata, image: null, size: sizes[i]!, ...mask };
    const variations = variationsOf(result.metadata, result.image, result.variations);
    if (!variations.length)
      return { step, metadata: result.metadata, image: result.image, ...mask };
    const shown = onePicture(step, result.metadata, variations[0]!.seed);
    return { ...shown, image: result.image, variations, ...mask };
  });
}
