import {
  canPreview,
  opPreview,
  parsePipeline,
  pipelineSizes,
  previewStep,
  type Mask,
  type OpId,
  type RgbaImage,
  type Size,
  type Step,
} from '@loupe/shared';
import type { BrowserInference } from '../inference/client';
import type { DocumentStoreApi } from '../stores/document-store';
import type { PreviewStoreApi } from '../stores/preview-store';
import type { ParamValues, UiStoreApi } from '../stores/ui-store';
import type { EditSession, RunOutcome } from './edit-session';
import { latestWins } from './latest-wins';
import { pictureKey } from './picture-keys';
import { livePlan } from './plan-preview';
import type { RunPlan } from './plan-run';
import { previewSize } from './preview-size';
import type { RunContext, RunService } from './run-service';

export interface PreviewServiceDeps {
  /** The inference client; asked per preview, so a worker replaced after a cancel is the one used. */
  readonly browser: () => Pick<BrowserInference, 'preview'>;
  /** Placement, for the browser EP a preview runs on (the policy's, or the one the user forced). */
  readonly runs: Pick<RunService, 'place'>;
  /** Full-resolution runs and their one commit each. */
  readonly session: Pick<EditSession, 'run'>;
  readonly document: DocumentStoreApi;
  readonly ui: UiStoreApi;
  readonly preview: PreviewStoreApi;
  /** Shrinks a picture to a preview's size (the browser's resampler in the app). */
  readonly shrink: (image: RgbaImage, to: Size) => Promise<RgbaImage>;
}

export interface PreviewService {
  /** Whether a change of `step` previews live and commits on release: the switch is on and it is cheap. */
  isLive(step: Step): boolean;
  /**
   * A control is moving: shows `step` on a screen-sized copy of its input in the result pane.
   * Latest wins: one preview in flight at most, and only the newest waiting one runs next.
   * Nothing reaches the history.
   */
  change(context: RunContext, step: Step): void;
  /**
   * The control was let go: runs `step` once at full resolution and commits it, one history
   * step, replacing the one being tuned. Does nothing unless `isLive(step)`. Commits queue one
   * deep: releases during a commit leave only the newest to run after it.
   */
  commit(context: RunContext, step: Step): Promise<RunOutcome>;
  /**
   * The Run button: as the edit session's run (a masked op's `mask` included), queued with the
   * commits. With the switch on, a step of a previewable op stays tuned afterwards, so the next
   * change re-runs it, not stacks on it.
   */
  run(context: RunContext, step: Step, mask?: Mask): Promise<RunOutcome>;
  /**
   * Gets the worker ready to preview `op` (the runtime, its model session) before the first
   * drag, which otherwise waits for them: a one-pixel preview, shown nowhere. Once per op and
   * EP; ops whose preview reuses a Run's matte are left to that Run. Settles once ready (or not
   * needed); a failure is left for the first real preview to report.
   */
  warm(context: RunContext, op: OpId): Promise<void>;
  /** Drops the preview in flight and the one shown. */
  stop(): void;
  /** Stops listening to the stores. */
  dispose(): void;
}

const NOT_RUN: RunOutcome = { where: null, error: null };

interface PreviewJob {
  readonly context: RunContext;
  readonly plan: RunPlan;
  /** The `epoch` it was asked in; a newer one means what it would show is stale. */
  readonly epoch: number;
}

/**
 * Live previews and commit-on-release for the editor: the framework-free core the parameter
 * panel's hooks call into.
 *
 * @example
 * const previews = createPreviewService({ browser: browserInference, runs, session: editSession,
 *   document: documentStore, ui: uiStore, preview: previewStore, shrink: shrinkPicture });
 * slider.oninput = () => previews.change(context, step); // the result pane follows the slider
 * slider.onchange = () => void previews.commit(context, step); // one history step
 */
export function createPreviewService(deps: PreviewServiceDeps): PreviewService {
  const { document, ui, preview } = deps;
  // Bumped when what a preview would show goes stale: a commit starts, the document or op changes.
  let epoch = 0;
  let shownEpoch = -1;

  // One shrunk copy per picture, made once for all the previews of a drag (and later drags).
  const shrunk = new WeakMap<RgbaImage, { size: Size; image: Promise<RgbaImage> }>();
  const shrinkOnce = (image: RgbaImage, size: Size): Promise<RgbaImage> => {
    if (size.width === image.width && size.height === image.height) return Promise.resolve(image);
    const kept = shrunk.get(image);
    if (kept && kept.size.width === size.width && kept.size.height === size.height)
      return kept.image;
    const made = { size, image: deps.shrink(image, size) };
    made.image.catch(() => shrunk.get(image) === made && shrunk.delete(image));
    shrunk.set(image, made);
    return made.image;
  };

  // A preview that fails shows nothing: the commit on release runs the same steps and reports.
  const previews = latestWins<PreviewJob>(async ({ context, plan, epoch: asked }, signal) => {
    const screen = preview.getState().screen;
    const zoom = ui.getState().view?.zoom;
    const { size, scale } = previewSize(
      plan.image,
      screen && (zoom ? { ...screen, zoom } : screen),
    );
    const steps = plan.steps.map((s) => previewStep(s, scale));
    const placed = deps.runs.place({ ...context, mode: 'browser' }, { size, steps });
    if (placed.error) return;
    const small = await shrinkOnce(plan.image, size);
    if (signal.aborted) return;
    const image = await deps.browser().preview({ ...small, data: small.data.slice() }, steps, {
      signal,
      ...(placed.ep ? { ep: placed.ep } : {}),
      inputKey: pictureKey(plan.image),
    });
    if (asked !== epoch) return;
    shownEpoch = asked;
    // A size of its own: an op that keeps the size returns the input itself, pixels and all.
    const { width, height } = pipelineSizes(plan.steps, plan.image).at(-1)!;
    preview.getState().show({ image, size: { width, height } });
  });

  const stale = () => {
    epoch++;
    previews.cancel();
    preview.getState().clear();
  };

  const offDocument = document.subscribe((s, before) => {
    if (
      s.source !== before.source ||
      s.history !== before.history ||
      s.cursor !== before.cursor ||
      s.editingStep !== before.editingStep
    )
      stale();
  });
  const offUi = ui.subscribe((s, before) => s.op !== before.op && stale());
  const offPreview = preview.subscribe((s, before) => !s.live && before.live && stale());

  const isLive = (step: Step) =>
    preview.getState().live && livePlan(document.getState(), step) !== null;

  async function runAndTune(context: RunContext, step: Step, mask?: Mask): Promise<RunOutcome> {
    // Previews in flight are of params this run supersedes; the one shown stays until it lands.
    epoch++;
    previews.cancel();
    const started = epoch;
    const doc = document.getState();
    const tuned = doc.editingStep ?? doc.cursor + 1;
    try {
      const outcome = await deps.session.run(context, step, mask);
      const tunes = preview.getState().live && opPreview(step.op) !== undefined;
      if (tunes && outcome.where !== null && outcome.error === null) {
        if (document.getState().history[tuned]?.step.op === step.op)
          document.getState().editStep(tuned);
      }
      return outcome;
    } finally {
      // A run that failed or was cancelled leaves the picture as it was: so must the pane.
      if (shownEpoch < started) preview.getState().clear();
    }
  }

  let queue: Promise<unknown> = Promise.resolve();
  let newest: { context: RunContext; step: Step; mask?: Mask } | null = null;
  function enqueue(context: RunContext, step: Step, mask?: Mask): Promise<RunOutcome> {
    newest = { context, step, ...(mask ? { mask } : {}) };
    const turn = queue.then(() => {
      const job = newest;
      newest = null;
      return job ? runAndTune(job.context, job.step, job.mask) : NOT_RUN;
    });
    queue = turn.catch(() => undefined);
    return turn;
  }

  const warmed = new Set<string>();
  async function warm(context: RunContext, op: OpId): Promise<void> {
    const parsed = parsePipeline([{ op, params: {} }]);
    if (!preview.getState().live || !parsed.ok || !canPreview(parsed.value[0]!, null)) return;
    const steps = parsed.value;
    const pixel = { width: 1, height: 1 };
    const { ep, error } = deps.runs.place({ ...context, mode: 'browser' }, { size: pixel, steps });
    const key = `${op} ${ep}`;
    if (error || warmed.has(key)) return;
    warmed.add(key);
    const image = { ...pixel, data: new Uint8Array(4) };
    await deps
      .browser()
      .preview(image, steps, ep ? { ep } : {})
      .catch(() => warmed.delete(key));
  }

  return {
    isLive,
    warm,
    change(context, step) {
      if (!preview.getState().live) return;
      const plan = livePlan(document.getState(), step);
      if (plan) previews.push({ context, plan, epoch });
    },
    commit: (context, step) => (isLive(step) ? enqueue(context, step) : Promise.resolve(NOT_RUN)),
    run: enqueue,
    stop: stale,
    dispose() {
      stale();
      offDocument();
      offUi();
      offPreview();
    },
  };
}

/** What the parameter panel calls as its controls move and are let go. */
export interface LiveEdit {
  /** A control is moving to these params. */
  preview(op: OpId, params: ParamValues): void;
  /** A control was let go (or a discrete change: a choice, Reset, a preset) at these params. */
  commit(op: OpId, params: ParamValues): Promise<RunOutcome>;
}

export const NO_LIVE_EDIT: LiveEdit = {
  preview: () => {},
  commit: () => Promise.resolve(NOT_RUN),
};

/**
 * The panel's `LiveEdit` over a preview service in one run context: params are parsed by the
 * op's schema first, and invalid ones (a stale preset) are neither previewed nor committed.
 */
export function liveEdit(service: PreviewService, context: RunContext | null): LiveEdit {
  if (!context) return NO_LIVE_EDIT;
  const step = (op: OpId, params: ParamValues): Step | null => {
    const parsed = parsePipeline([{ op, params }]);
    return parsed.ok ? parsed.value[0]! : null;
  };
  return {
    preview(op, params) {
      const s = step(op, params);
      if (s) service.change(context, s);
    },
    commit(op, params) {
      const s = step(op, params);
      return s ? service.commit(context, s) : Promise.resolve(NOT_RUN);
    },
  };
}
