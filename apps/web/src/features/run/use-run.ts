import type { Step } from '@loupe/shared';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { RunOutcome } from '../../services/edit-session';
import type { RunContext } from '../../services/run-service';
import { editSession } from '../../services/session';

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

/** Run (and re-run) as a React callback over the tab's edit session. */
export function useRun() {
  const queryClient = useQueryClient();
  return useCallback(
    async (context: RunContext, step: Step) =>
      refreshAfterRun(queryClient, await editSession.run(context, step)),
    [queryClient],
  );
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
