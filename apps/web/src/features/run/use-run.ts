import {
  ERROR_CODES,
  isLoupeError,
  LoupeError,
  OPS,
  type PlacementDecision,
  type Step,
} from '@loupe/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { editorStore } from '../../stores/editor-store';
import { planRun } from './plan-run';
import { runSteps } from './run-edit';

// One run at a time per tab; the controller lives outside React so Cancel and Escape reach it.
let active: AbortController | null = null;

export function cancelRun(): void {
  active?.abort(new LoupeError('CANCELLED'));
}

export function useRun() {
  const queryClient = useQueryClient();
  return useCallback(
    async (decision: PlacementDecision, step: Step) => {
      const store = editorStore.getState();
      if (active || !store.source || decision.error) return;
      const { base, steps } = planRun(step);
      const baseImage = base >= 0 ? store.history[base]?.image : store.source.image;
      if (!baseImage) return;
      const controller = new AbortController();
      active = controller;
      const startedAt = performance.now();
      const update = (patch: Partial<Extract<typeof store.run, { kind: 'running' }>>) => {
        const run = editorStore.getState().run;
        if (run.kind === 'running' && active === controller)
          editorStore.getState().setRun({ ...run, ...patch });
      };
      store.setRun({
        kind: 'running',
        where: decision.where,
        stage: 'Starting',
        startedAt,
        label: OPS[step.op].title,
      });
      try {
        const entries = await runSteps(decision, baseImage, steps, {
          signal: controller.signal,
          onStep: (i, n, s) =>
            update({
              label: n > 1 ? `${OPS[s.op].title} (${i + 1} of ${n})` : OPS[s.op].title,
              progress: undefined,
              stage: 'Starting',
            }),
          onStage: (stage) => update({ stage }),
          onProgress: (progress) => update({ progress, stage: progress.stage }),
        });
        editorStore.getState().commit(base, entries);
        const last = entries.at(-1)!.metadata;
        if (last.fallback) {
          editorStore.getState().notify({
            tone: 'info',
            title: `Ran on ${last.ep.toUpperCase()} instead of ${last.fallback.from.toUpperCase()}`,
            detail: last.fallback.reason,
          });
        }
      } catch (e) {
        const error = isLoupeError(e) ? e : new LoupeError('INTERNAL', (e as Error).message);
        if (error.code === 'CANCELLED') {
          editorStore
            .getState()
            .notify({ tone: 'info', title: 'Cancelled', detail: 'Nothing was changed.' });
        } else {
          editorStore
            .getState()
            .notify({ tone: 'error', title: ERROR_CODES[error.code].title, detail: error.message });
        }
        if (error.code === 'SERVER_UNREACHABLE')
          void queryClient.invalidateQueries({ queryKey: ['server'] });
      } finally {
        active = null;
        editorStore.getState().setRun({ kind: 'idle' });
        if (decision.where === 'browser')
          void queryClient.invalidateQueries({ queryKey: ['browser', 'cached-models'] });
        else void queryClient.invalidateQueries({ queryKey: ['server', 'gpu-status'] });
      }
    },
    [queryClient],
  );
}
