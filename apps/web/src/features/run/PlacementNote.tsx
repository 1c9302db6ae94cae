import type { Placement } from './use-placement';

/** "Runs on: Server — this device has no hardware WebGPU": always visible before Run. */
export function PlacementNote({ placement }: { placement: Placement }) {
  const { decision, probing, issues, uninstalled } = placement;
  let where = 'Checking this device…';
  let why = '';
  let tone = 'text-zinc-500';
  if (issues.length) {
    where = uninstalled ? 'Not installed' : 'Fix the parameters';
    why = issues.map((i) => i.message).join('; ');
    tone = 'text-rose-600 dark:text-rose-400';
  } else if (decision) {
    const [head, ...rest] = decision.reason.split(': ');
    where = head ?? decision.where;
    why = rest.join(': ');
    tone = decision.error ? 'text-rose-600 dark:text-rose-400' : 'text-zinc-700 dark:text-zinc-200';
  } else if (!probing) {
    where = 'Unavailable';
  }
  return (
    <p
      role="status"
      aria-label="Placement"
      data-where={decision?.where ?? ''}
      className={`rounded-lg bg-zinc-100 px-3 py-2 text-xs leading-relaxed dark:bg-zinc-900 ${tone}`}
    >
      <span className="font-semibold">Runs on: {where}</span>
      {why ? <span className="text-zinc-500 dark:text-zinc-400"> — {why}</span> : null}
    </p>
  );
}
