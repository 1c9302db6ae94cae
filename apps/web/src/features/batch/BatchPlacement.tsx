import type { Placement } from '@loupe/shared';

/** "Server — this device has no hardware WebGPU (…)": where one file runs and why. */
export function BatchPlacement({ where, reason }: { where: Placement; reason: string }) {
  const [head, ...rest] = reason.split(': ');
  return (
    <span
      data-testid="batch-placement"
      data-where={where}
      className="block truncate text-[11px] text-zinc-500"
      title={reason}
    >
      <span className="font-medium text-zinc-600 dark:text-zinc-300">{head}</span>
      {rest.length ? ` — ${rest.join(': ')}` : ''}
    </span>
  );
}
