import {
  parsePipeline,
  uninstalledModelIssues,
  type FieldIssue,
  type PlacementDecision,
  type Step,
} from '@loupe/shared';
import { useMemo } from 'react';
import { placeRequest, planRun, type RunPlan } from '../../services/plan-run';
import { runs } from '../../services/runs';
import type { RunContext } from '../../services/run-service';
import { useDocument, useUi } from '../../stores/editor-store';
import { useRunContext } from './use-run-context';

export interface Placement {
  /** Null while the device is being probed or the parameters are invalid. */
  decision: PlacementDecision | null;
  step: Step | null;
  /** Exactly what Run would run: the step, and any earlier or later ones it re-runs. */
  plan: RunPlan | null;
  context: RunContext | null;
  issues: FieldIssue[];
  /** The issues are models this install did not build (not the user's values to fix). */
  uninstalled: boolean;
  serverReachable: boolean;
  browserAvailable: boolean;
  probing: boolean;
}

/** Size the note assumes before a picture is open. */
const NO_PICTURE = { width: 1024, height: 1024 };

/**
 * Where the next Run goes and why, for exactly the steps it would run on the picture they
 * start from, recomputed whenever any of them, the device probe or the server's state change,
 * so the UI always shows it before Run.
 */
export function usePlacement(): Placement {
  const op = useUi((s) => s.op);
  const params = useUi((s) => s.params);
  const source = useDocument((s) => s.source);
  const history = useDocument((s) => s.history);
  const cursor = useDocument((s) => s.cursor);
  const editingStep = useDocument((s) => s.editingStep);
  const { context, serverReachable, browserAvailable } = useRunContext();

  return useMemo(() => {
    const parsed = parsePipeline([{ op, params }]);
    // A model this install did not build (a MAXIM subset) can run nowhere: say how to add it.
    const missing =
      parsed.ok && context
        ? uninstalledModelIssues(parsed.value, (id) => context.models.some((m) => m.id === id))
        : [];
    const step = parsed.ok && !missing.length ? parsed.value[0]! : null;
    const issues = parsed.ok ? missing : parsed.issues;
    const plan = step && source ? planRun({ source, history, cursor, editingStep }, step) : null;
    const base = {
      step,
      plan,
      context,
      issues,
      uninstalled: missing.length > 0,
      serverReachable,
      browserAvailable,
    };
    if (!step || !context) return { ...base, decision: null, probing: !context };
    const decision = runs.place(
      context,
      plan ? placeRequest(plan) : { size: NO_PICTURE, steps: [step] },
    );
    return { ...base, decision, probing: false };
  }, [
    op,
    params,
    source,
    history,
    cursor,
    editingStep,
    context,
    serverReachable,
    browserAvailable,
  ]);
}
