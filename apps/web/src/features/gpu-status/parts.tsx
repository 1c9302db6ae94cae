import type { ReactNode } from 'react';

export function Dl({ children }: { children: ReactNode }) {
  return (
    <dl className="grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-xs">
      {children}
    </dl>
  );
}

export function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-zinc-500">{label}</dt>
      <dd className="min-w-0 text-right font-medium break-words text-zinc-800 dark:text-zinc-200">
        {children}
      </dd>
    </>
  );
}

const TONES = {
  ok: 'bg-emerald-500/15 text-emerald-700 dark:text-emerald-300',
  warn: 'bg-amber-500/15 text-amber-700 dark:text-amber-300',
  accent: 'bg-accent-500/15 text-accent-600 dark:text-accent-400',
  none: 'bg-zinc-500/15 text-zinc-600 dark:text-zinc-300',
};

export function Tag({
  children,
  tone,
}: {
  children: ReactNode;
  tone?: keyof typeof TONES | undefined;
}) {
  return (
    <span
      className={`inline-block rounded px-1.5 py-0.5 text-[10px] font-semibold ${TONES[tone ?? 'none']}`}
    >
      {children}
    </span>
  );
}

export function Meter({ used, total, label }: { used: number; total: number; label: string }) {
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={used}
      className="h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
    >
      <div
        className={`h-full rounded-full ${pct > 85 ? 'bg-rose-500' : 'bg-emerald-500'}`}
        style={{ width: `${pct}%` }}
      />
    </div>
  );
}
