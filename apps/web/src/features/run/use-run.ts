import type { Step } from '@loupe/shared';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo } from 'react';
import type { RunOutcome } from '../../services/edit-session';
import { liveEdit, type LiveEdit } from '../../services/preview-service';
import { previewService } from '../../services/previews';
import type { RunContext } from '../../services/run-service';
import { editSession } from '../../services/session';
import { takesMask } from '../mask/mask-slot';
import { currentBrushMask } from '../mask/use-mask-brush';
import { useUi } from '../../stores/editor-store';
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
 * Run (and re-run) as a React callback over the tab's edit session, through the live preview's
 * queue: a Run waits for a commit in flight, and leaves a previewable step tuned for the sliders.
 */
export function useRun() {
  const queryClient = useQueryClient();
  return useCallback(
    async (context: RunContext, step: Step) => {
      // A masked op runs with the brush's mask, and not at all without one: it would change nothing.
      const mask = takesMask(step.op) ? currentBrushMask() : undefined;
      if (takesMask(step.op) && !mask) return;
      refreshAfterRun(queryClient, await previewService.run(context, step, mask));
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
