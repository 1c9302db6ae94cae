import { canPreview, type Step } from '@loupe/shared';
import type { DocumentView } from '../stores/document-store';
import { planRun, type RunPlan } from './plan-run';

/** The committed step the panel is tuning: the one being edited, if any. */
export function tunedStep(doc: DocumentView): Step | null {
  return doc.editingStep === null ? null : (doc.history[doc.editingStep]?.step ?? null);
}

/**
 * What a live preview of `step` runs, or null when a change of it is not cheap: every step the
 * Run would apply must preview (`canPreview`). Only the tuned step may reuse what its committed
 * self computed (a matte), and only when it reads the kept picture itself (the first of the
 * plan): the worker keeps mattes of pictures it was given, not of pictures a preview recomputes.
 *
 * @example livePlan(doc, adjust) // { base: 0, image, steps: [adjust], tuned: 0 }
 * livePlan(docEditingStep1BeforeAnUpscale, adjust) // null: the upscale after it re-runs too
 */
export function livePlan(doc: DocumentView, step: Step): RunPlan | null {
  const plan = doc.source ? planRun(doc, step) : null;
  if (!plan) return null;
  const committed = tunedStep(doc);
  const cheap = plan.steps.every((s, i) =>
    canPreview(s, i === plan.tuned && i === 0 ? committed : null),
  );
  return cheap ? plan : null;
}
