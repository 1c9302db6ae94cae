import { useEffect, useState } from 'react';
import { formatDuration } from '../../lib/format';
import type { RunStatus } from '../../stores/editor-store';
import { busyMotion } from './busy-motion';
import { remainingMs } from './eta';

type Running = Extract<RunStatus, { kind: 'running' }>;

export function ProgressView({ run }: { run: Running }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(t);
  }, []);
  const p = run.progress;
  const fraction = p && p.total > 0 ? p.done / p.total : null;
  const eta = remainingMs(run, now);
  return (
    <div className="space-y-1.5">
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span className="truncate font-medium">{run.label}</span>
        <span className="shrink-0 font-mono text-zinc-500 tabular-nums">
          {fraction !== null
            ? `${Math.round(fraction * 100)}%`
            : formatDuration(now - run.startedAt)}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label="Progress"
        aria-valuemin={0}
        aria-valuemax={100}
        {...(fraction !== null ? { 'aria-valuenow': Math.round(fraction * 100) } : {})}
        aria-valuetext={run.stage}
        className="h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        {/* Amount unknown: a dim full bar (a still third would read as 33%), pulsing only
            for a server run (busy-motion.ts). */}
        <div
          className={`h-full rounded-full bg-accent-500 transition-[width] duration-300 ${fraction === null ? `w-full opacity-40 ${busyMotion(run, 'pulse')}` : ''}`}
          style={fraction !== null ? { width: `${Math.max(2, fraction * 100)}%` } : undefined}
        />
      </div>
      <div className="flex justify-between gap-2 text-[11px] text-zinc-500">
        <span className="truncate" data-testid="run-stage">
          {run.stage}
          {/* The engine's stage already counts a one-step run's tiles; add the pipeline's count
              only when it says something new. */}
          {p && p.total > 0 && !run.stage.includes(`${p.done}/${p.total}`)
            ? ` · ${p.done}/${p.total} ${p.unit}s`
            : ''}
        </span>
        <span className="shrink-0" data-testid="run-eta">
          {eta !== null ? `about ${formatDuration(eta)} left` : `on ${run.where}`}
        </span>
      </div>
    </div>
  );
}
