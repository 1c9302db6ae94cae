import { useDocument, useUi } from '../../stores/editor-store';
import { useMaskMissing } from '../mask/use-mask-brush';
import { Button } from '../../ui/Button';
import { PlayIcon } from '../../ui/icons';
import { PlacementNote } from './PlacementNote';
import { ProgressView } from './ProgressView';
import { RoutingPicker } from './RoutingPicker';
import { makesPicture } from '../../services/run-service';
import { usePlacement } from './use-placement';
import { cancelRun, useRun } from './use-run';

/** Where to run, why, and the Run / Cancel controls with live progress. */
export function RunPanel() {
  const placement = usePlacement();
  const { decision, step, context } = placement;
  const run = useUi((s) => s.run);
  const hasImage = useDocument((s) => s.source !== null);
  // Text to image makes its own picture: it runs with none open (on an empty canvas).
  const needsImage = !(step && makesPicture([step]));
  const editingStep = useDocument((s) => s.editingStep);
  const laterSteps = useDocument((s) =>
    s.editingStep === null ? 0 : Math.max(0, s.cursor - s.editingStep),
  );
  const stopEditing = useDocument((s) => s.stopEditing);
  const start = useRun();
  const maskMissing = useMaskMissing();
  const canRun =
    (hasImage || !needsImage) &&
    run.kind === 'idle' &&
    decision !== null &&
    !decision.error &&
    step !== null &&
    !maskMissing;

  return (
    <div className="space-y-3">
      <RoutingPicker />
      <PlacementNote placement={placement} />
      {!placement.serverReachable ? (
        <p
          role="alert"
          className="rounded-lg bg-amber-500/10 px-3 py-2 text-xs text-amber-700 dark:text-amber-300"
        >
          The Loupe server can't be reached: edits run in this browser only.
        </p>
      ) : null}
      {editingStep !== null ? (
        <div className="flex items-center justify-between gap-2 rounded-lg bg-accent-500/10 px-3 py-2 text-xs text-accent-600 dark:text-accent-400">
          <span>
            Re-running step {editingStep + 1}
            {laterSteps ? ` and ${laterSteps} after it` : ''}
          </span>
          <Button size="sm" variant="ghost" onClick={stopEditing}>
            Stop editing
          </Button>
        </div>
      ) : null}
      {run.kind === 'running' ? (
        <div className="space-y-3">
          <ProgressView run={run} />
          <Button
            variant="secondary"
            className="w-full"
            aria-keyshortcuts="Escape"
            onClick={cancelRun}
          >
            Cancel
          </Button>
        </div>
      ) : (
        <Button
          variant="primary"
          className="w-full"
          aria-label="Run"
          aria-keyshortcuts="Control+Enter"
          disabled={!canRun}
          {...(maskMissing && hasImage ? { 'aria-describedby': 'run-needs-mask' } : {})}
          onClick={() => context && step && void start(context, step)}
        >
          <PlayIcon width={15} height={15} /> Run
          <kbd className="ml-1 hidden rounded bg-white/15 px-1 font-mono text-[10px] sm:inline">
            Ctrl ↵
          </kbd>
        </Button>
      )}
      {maskMissing && hasImage && run.kind === 'idle' ? (
        <p id="run-needs-mask" className="text-xs text-zinc-500">
          Paint a mask first: Run waits until the brush has covered something to change.
        </p>
      ) : null}
      {run.kind === 'idle' && decision?.overridable && context && step && hasImage ? (
        // Over this device's memory budget but within what it has: the user's risk to take.
        <Button
          variant="secondary"
          className="w-full"
          onClick={() => void start({ ...context, acceptOverBudget: true }, step)}
        >
          Run anyway in this browser
        </Button>
      ) : null}
    </div>
  );
}
