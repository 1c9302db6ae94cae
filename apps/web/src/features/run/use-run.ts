import type { Step } from '@loupe/shared';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo } from 'react';
import type { RunOutcome } from '../../services/edit-session';
import { liveEdit, type LiveEdit } from '../../services/preview-service';
import { previewService } from '../../services/previews';
import type { RunContext } from '../../services/run-service';
import { editSession } from '../../services/session';
import { discardCanvas, openCanvasFor } from '../generate/canvas-for-run';
import { generateStore } from '../generate/generate-store';
import { prepareStep, stepSeed } from '../generate/prepare-step';
import { takesMask } from '../mask/mask-slot';
import { currentBrushMask } from '../mask/use-mask-brush';
import { randomSeed } from '@loupe/shared';
import { documentStore, editorStore, uiStore, useUi } from '../../stores/editor-store';
import { usePreview } from '../../stores/preview-store';

export function cancelRun(): void {
  editSession.cancel();
}

/** What a finished run may have changed: the browser's model cache, the server's queue or reachability. */
export function refreshAfterRun(queryClient: QueryClient, { where, error }: RunOutcome): void {
  if (error?.code === 'SERVER_UNREACHABLE')
    void queryClient.invalidateQueries({ queryKey: ['server'] });
  if (where === 'browser')
    void queryClient.invalidateQueries({ queryKey: ['browser', 'cached-models'] });
  else if (where === 'server')
    void queryClient.invalidateQueries({ queryKey: ['server', 'gpu-status'] });
}

/**
 * What a Run of `asked` runs: a generative step made exact (seed drawn unless locked, sampler
 * and size from its folder), its seed shown in the panel. Other steps are run as asked.
 */
function stepToRun(context: RunContext, asked: Step): Step {
  const model = (asked.params as { model?: unknown }).model;
  const folder = context.diffusion?.find((f) => f.id === model);
  const step = prepareStep(asked, folder, generateStore.getState().seedLocked);
  const seed = stepSeed(step);
  if (seed !== undefined) uiStore.getState().setParam('seed', seed);
  return step;
}

/**
 * Run (and re-run) as a React callback over the tab's edit session, through the live preview's
 * queue: a Run waits for a commit in flight, and leaves a previewable step tuned for the sliders.
 * Text to image with no picture open starts on an empty canvas, closed again if nothing came of it.
 */
export function useRun() {
  const queryClient = useQueryClient();
  return useCallback(
    async (context: RunContext, asked: Step) => {
      // A masked op runs with the brush's mask, and not at all without one: it would change nothing.
      const mask = takesMask(asked.op) ? currentBrushMask() : undefined;
      if (takesMask(asked.op) && !mask) return;
      const step = stepToRun(context, asked);
      const canvas = await openCanvasFor(step);
      const outcome = await previewService.run(context, step, mask);
      if (canvas && outcome.error) await discardCanvas(canvas);
      refreshAfterRun(queryClient, outcome);
    },
    [queryClient],
  );
}

/**
 * Runs history step `index` again as it ran (its parameters are complete: seed, sampler and size
 * were fixed before it first ran), or with a new seed; the steps after it are re-run on top.
 */
export function useRerun() {
  const queryClient = useQueryClient();
  return useCallback(
    async (context: RunContext, index: number, { newSeed = false } = {}) => {
      const entry = documentStore.getState().history[index];
      if (!entry || uiStore.getState().run.kind !== 'idle') return;
      editorStore.getState().editStep(index);
      const step = newSeed
        ? ({ ...entry.step, params: { ...entry.step.params, seed: randomSeed() } } as Step)
        : entry.step;
      const seed = stepSeed(step);
      if (seed !== undefined) uiStore.getState().setParam('seed', seed);
      // The edited step keeps the mask it ran with (planRun).
      refreshAfterRun(queryClient, await previewService.run(context, step));
    },
    [queryClient],
  );
}

/**
 * The parameter panel's live edits in this run context, refreshing queries after each commit.
 * Choosing an op that previews gets the worker ready for it, so the first drag previews at once.
 */
export function useLiveEdit(context: RunContext | null): LiveEdit {
  const queryClient = useQueryClient();
  const selected = useUi((s) => s.op);
  const on = usePreview((s) => s.live);
  useEffect(() => {
    if (context && on) void previewService.warm(context, selected);
  }, [context, selected, on]);
  return useMemo(() => {
    const edits = liveEdit(previewService, context);
    return {
      preview: edits.preview,
      commit: async (op, params) => {
        const outcome = await edits.commit(op, params);
        refreshAfterRun(queryClient, outcome);
        return outcome;
      },
    };
  }, [context, queryClient]);
}

/** Recomputing a picture history did not keep, as a React callback. */
export function useRestore() {
  const queryClient = useQueryClient();
  return useCallback(
    async (context: RunContext, index: number) =>
      refreshAfterRun(queryClient, await editSession.restore(context, index)),
    [queryClient],
  );
}
