import { OPS } from './catalog';
import type { OpId } from './op-ids';
import type { OpPreview } from './op-spec';
import type { Step } from './pipeline';

type Params = Record<string, unknown>;

/** The op's live preview, if it has one (see `OpPreview`). */
export function opPreview(op: OpId): OpPreview<Params> | undefined {
  return (OPS[op] as { preview?: OpPreview<Params> }).preview;
}

/**
 * Whether `step` previews live: its op has a preview and, if some of its params are costly to
 * change (`OpPreview.reuses`), they equal those of `committed`, the step being tuned.
 *
 * @example canPreview(cutoutWithQuint8, cutoutStep) // true: a new mode only recomposites
 * canPreview(cutoutWithFp16, cutoutStep) // false: another model means another matte
 */
export function canPreview(step: Step, committed: Step | null): boolean {
  const preview = opPreview(step.op);
  if (!preview) return false;
  if (!preview.reuses?.length) return true;
  if (committed?.op !== step.op) return false;
  const [now, before] = [step.params as Params, committed.params as Params];
  return preview.reuses.every((key) => now[key] === before[key]);
}

/**
 * `step` for a copy `scale` (≤ 1) times its input's size: its params as its op scales them
 * (pixel radii shrink with the picture), unchanged for ops whose params do not depend on size.
 *
 * @example previewStep({ op: 'blur', params: { radius: 8 } }, 0.5) // { op: 'blur', params: { radius: 4 } }
 */
export function previewStep(step: Step, scale: number): Step {
  const scaleParams = opPreview(step.op)?.scaleParams;
  if (!scaleParams || scale >= 1) return step;
  return { op: step.op, params: scaleParams(step.params as Params, scale) } as Step;
}
