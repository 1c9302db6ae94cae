import {
  BrowserEpSchema,
  ERROR_CODES,
  OPS,
  isLoupeError,
  LoupeError,
  type Mask,
  pipelineSizes,
  type Placement,
  type RgbaImage,
  type Size,
  type Step,
} from '@loupe/shared';
import type { DocumentStoreApi } from '../stores/document-store';
import type { PreviewStoreApi } from '../stores/preview-store';
import type { RunStatus, UiStoreApi } from '../stores/ui-store';
import type { NewHistoryEntry } from '../stores/document-store';
import {
  historyEntries,
  placeRequest,
  planRestore,
  planRun,
  runSegments,
  type RunPlan,
} from './plan-run';
import type { RunContext, RunResult, RunService } from './run-service';

export interface EditSessionDeps {
  readonly runs: RunService;
  readonly document: DocumentStoreApi;
  readonly ui: UiStoreApi;
  /** Where a generative run's denoising previews are shown, in the canvas, as they arrive. */
  readonly preview?: Pick<PreviewStoreApi, 'getState'>;
}

/**
 * The size of the picture a segment's generative step makes: its previews are laid out at it,
 * so the result that follows takes their place without the view moving.
 */
function generatedSize(steps: readonly Step[], input: Size): Size {
  const at = steps.findIndex((s) => OPS[s.op].progressUnit === 'step');
  return pipelineSizes(steps, input)[Math.max(0, at)]!;
}

/** How a run ended: where it ran (null if it never got placed) and its error, if any. */
export interface RunOutcome {
  readonly where: Placement | null;
  readonly error: LoupeError | null;
}

export interface EditSession {
  /**
   * Runs `step` after the shown picture, or re-runs the step being edited and those after it.
   * `mask` is where a masked op (inpaint, erase) may change the picture; it is kept with the step.
   */
  run(context: RunContext, step: Step, mask?: Mask): Promise<RunOutcome>;
  /**
   * Recomputes the picture of history entry `index` that was not kept, from the nearest kept
   * one before it, on the engine that made it (same pixels) when that engine is available.
   */
  restore(context: RunContext, index: number): Promise<RunOutcome>;
  /** Stops the run in flight at once; history stays as it was. */
  cancel(): void;
}

const NOT_RUN: RunOutcome = { where: null, error: null };

const title = (steps: readonly Step[]) => steps.map((s) => OPS[s.op].title).join(', ');

/**
 * The editor's runs, one at a time per tab: each goes through the run service, and its result
 * lands in the document in one commit, so a cancel or failure leaves history as it was.
 */
export function createEditSession({ runs, document, ui, preview }: EditSessionDeps): EditSession {
  let active: AbortController | null = null;

  async function execute(
    context: RunContext,
    plan: RunPlan,
    label: string,
    cancelled: string,
  ): Promise<RunOutcome & { result: RunResult | null; entries: NewHistoryEntry[] }> {
    const controller = new AbortController();
    active = controller;
    const update = (patch: Partial<Extract<RunStatus, { kind: 'running' }>>) => {
      const run = ui.getState().run;
      if (run.kind === 'running' && active === controller)
        ui.getState().setRun({ ...run, ...patch });
    };
    const placed = runs.place(context, placeRequest(plan));
    const estimate = placed.estimates[placed.where];
    ui.getState().setRun({
      kind: 'running',
      where: placed.where,
      stage: 'Starting',
      startedAt: performance.now(),
      label,
      ...(estimate ? { estimateMs: estimate.seconds * 1000 } : {}),
    });
    let where: Placement | null = null;
    try {
      // A masked step runs on its own (see runSegments); each segment's picture is kept.
      let image: RgbaImage = plan.image;
      let result: RunResult | null = null;
      const entries: NewHistoryEntry[] = [];
      for (const segment of runSegments(plan)) {
        const original = segment.from === 0 && plan.original ? { original: plan.original } : {};
        const mask = segment.mask ? { mask: segment.mask } : {};
        const request = { image, steps: segment.steps, ...original, ...mask };
        result = await runs.run(context, request, {
          signal: controller.signal,
          onPlaced: (d) => {
            where = d.where;
            const e = d.estimates[d.where];
            update({ where: d.where, ...(e ? { estimateMs: e.seconds * 1000 } : {}) });
          },
          onStage: (stage) => update({ stage }),
          onProgress: (progress) => update({ progress, stage: progress.stage }),
          onGenerationPreview: ({ image: shown, step, total }) => {
            if (active !== controller) return;
            preview?.getState().show({
              image: shown,
              size: generatedSize(segment.steps, image),
              label: `step ${step}/${total}`,
            });
          },
        });
        const masks = plan.masks?.slice(segment.from, segment.from + segment.steps.length);
        entries.push(...historyEntries(segment.steps, image, result, masks));
        image = result.image;
      }
      return { result, entries, where, error: null };
    } catch (e) {
      const failure = isLoupeError(e) ? e : new LoupeError('INTERNAL', (e as Error).message);
      const { notify } = ui.getState();
      if (failure.code === 'CANCELLED')
        notify({ tone: 'info', title: 'Cancelled', detail: cancelled });
      else
        notify({ tone: 'error', title: ERROR_CODES[failure.code].title, detail: failure.message });
      return { result: null, entries: [], where, error: failure };
    } finally {
      active = null;
      ui.getState().setRun({ kind: 'idle' });
    }
  }

  return {
    async run(context, step, mask) {
      const doc = document.getState();
      const plan = doc.source ? planRun(doc, step, mask) : null;
      if (active || !plan) return NOT_RUN;
      const label = plan.steps.length > 1 ? title(plan.steps) : OPS[step.op].title;
      const { result, entries, ...outcome } = await execute(
        context,
        plan,
        label,
        'Nothing was changed.',
      );
      if (!result) return outcome;
      document.getState().commit(plan.base, entries);
      const { fallback, ep } = result.metadata;
      if (fallback) {
        ui.getState().notify({
          tone: 'info',
          title: `Ran on ${ep.toUpperCase()} instead of ${fallback.from.toUpperCase()}`,
          detail: fallback.reason,
        });
      }
      return outcome;
    },

    async restore(context, index) {
      const doc = document.getState();
      const plan = planRestore(doc, index);
      const entry = doc.history[index];
      if (active || !plan || !entry) return NOT_RUN;
      // Where it ran before gives the same pixels; if that is not possible now, wherever it can.
      const made = entry.metadata;
      const same: RunContext = {
        ...context,
        mode: made.placement,
        browserEp: BrowserEpSchema.safeParse(made.ep).data ?? null,
      };
      const there = runs.place(same, placeRequest(plan)).error ? context : same;
      const {
        result,
        entries: _entries,
        ...outcome
      } = await execute(
        there,
        plan,
        `Recomputing step ${index + 1}`,
        `Step ${index + 1}'s picture was not recomputed.`,
      );
      if (result) document.getState().restorePicture(entry.id, result.image);
      return outcome;
    },

    cancel() {
      active?.abort(new LoupeError('CANCELLED'));
    },
  };
}
