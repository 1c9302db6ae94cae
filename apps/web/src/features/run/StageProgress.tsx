import { useEffect, useState } from 'react';
import { formatDuration } from '../../lib/format';
import { usePreview } from '../../stores/preview-store';
import { useUi } from '../../stores/editor-store';
import { busyMotion } from './busy-motion';
import { remainingMs } from './eta';
import { cancelRun } from './use-run';

/** Re-renders twice a second while mounted, for a time left that counts down. */
function useNow(): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(t);
  }, []);
  return now;
}

/**
 * A chip over the picture while it is being worked on, so the stage itself says "busy". For a
 * generative run, whose denoising previews the stage shows as they arrive, it says which step
 * of how many, the time left, and offers Cancel right where the picture is forming.
 */
export function StageProgress() {
  const run = useUi((s) => s.run);
  const previewing = usePreview((s) => s.shown !== null);
  const now = useNow();
  if (run.kind !== 'running') return null;
  const p = run.progress;
  const chip =
    'absolute top-4 left-1/2 z-20 flex -translate-x-1/2 items-center gap-2.5 rounded-full bg-white/90 py-1.5 pr-4 pl-2 text-xs font-medium shadow-lg ring-1 ring-zinc-900/10 backdrop-blur dark:bg-zinc-900/90 dark:ring-white/10';
  const spinner = (
    <span
      className={`size-4 rounded-full border-2 border-accent-500/30 border-t-accent-500 ${busyMotion(run, 'spin')}`}
    />
  );
  if (p?.unit === 'step') {
    const eta = remainingMs(run, now);
    return (
      <div role="status" aria-label="Generation progress" className={`${chip} pr-1.5`}>
        {spinner}
        <span data-testid="generation-step">
          {p.total > 0 ? `Step ${p.done}/${p.total}` : run.stage}
        </span>
        {eta !== null ? (
          <span className="text-zinc-500" data-testid="generation-eta">
            about {formatDuration(eta)} left
          </span>
        ) : null}
        {previewing ? <span className="text-zinc-400">preview</span> : null}
        <button
          type="button"
          onClick={cancelRun}
          className="rounded-full px-2.5 py-1 text-zinc-700 ring-1 ring-zinc-300 hover:bg-zinc-100 pointer-coarse:py-3 dark:text-zinc-200 dark:ring-zinc-700 dark:hover:bg-zinc-800"
        >
          Cancel generation
        </button>
      </div>
    );
  }
  const pct = p && p.total > 0 ? Math.round((p.done / p.total) * 100) : null;
  return (
    <div aria-hidden="true" className={`pointer-events-none ${chip}`}>
      {spinner}
      <span>
        {run.label} on {run.where === 'server' ? 'the server' : 'this device'}
        {pct !== null ? ` · ${pct}%` : ''}
      </span>
    </div>
  );
}
