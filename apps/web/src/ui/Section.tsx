import type { ReactNode } from 'react';

/** A titled block of the side panel; `aria-labelledby` makes it a named region for screen readers and tests. */
export function Section({
  id,
  title,
  actions,
  children,
}: {
  id: string;
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="border-b border-zinc-200 px-4 py-4 dark:border-zinc-800"
    >
      <div className="mb-3 flex items-center justify-between gap-2">
        <h2
          id={`${id}-title`}
          className="text-[11px] font-semibold tracking-wider text-zinc-500 uppercase dark:text-zinc-400"
        >
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
