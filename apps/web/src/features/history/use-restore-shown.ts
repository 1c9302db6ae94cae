import { useEffect, useRef } from 'react';
import { useDocument, useUi } from '../../stores/editor-store';
import { useRestore } from '../run/use-run';
import { useRunContext } from '../run/use-run-context';

/**
 * Selecting a step whose picture was not kept recomputes it, once per step: a cancelled or
 * failed recompute is not retried by itself (the row's Recompute button does that).
 */
export function useRestoreShown(): void {
  const shown = useDocument((s) => (s.cursor >= 0 ? s.history[s.cursor] : undefined));
  const idle = useUi((s) => s.run.kind === 'idle');
  const { context } = useRunContext();
  const restore = useRestore();
  const tried = useRef(new Set<number>());
  const cursor = useDocument((s) => s.cursor);
  useEffect(() => {
    if (!shown || shown.image || !idle || !context || tried.current.has(shown.id)) return;
    tried.current.add(shown.id);
    void restore(context, cursor);
  }, [shown, idle, context, cursor, restore]);
}
