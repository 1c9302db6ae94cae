import { useUi } from '../../stores/editor-store';

/** A quiet chip over the picture while it is being worked on, so the stage itself says "busy". */
export function StageProgress() {
  const run = useUi((s) => s.run);
  if (run.kind !== 'running') return null;
  const p = run.progress;
  const pct = p && p.total > 0 ? Math.round((p.done / p.total) * 100) : null;
  return (
    <div
      aria-hidden="true"
      className="pointer-events-none absolute top-4 left-1/2 z-20 flex -translate-x-1/2 items-center gap-2.5 rounded-full bg-white/90 py-1.5 pr-4 pl-2 text-xs font-medium shadow-lg ring-1 ring-zinc-900/10 backdrop-blur dark:bg-zinc-900/90 dark:ring-white/10"
    >
      <span className="size-4 animate-spin rounded-full border-2 border-accent-500/30 border-t-accent-500" />
      <span>
        {run.label} on {run.where === 'server' ? 'the server' : 'this device'}
        {pct !== null ? ` · ${pct}%` : ''}
      </span>
    </div>
  );
}
