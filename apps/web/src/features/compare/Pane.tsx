import type { ReactNode } from 'react';

/** A viewport the picture is panned and zoomed in; the checkerboard shows transparency. */
export function Pane({
  paneRef,
  label,
  children,
  badge,
}: {
  paneRef: (el: HTMLDivElement | null) => void;
  label: string;
  children: ReactNode;
  badge?: ReactNode;
}) {
  return (
    <div
      ref={paneRef}
      role="group"
      data-pane
      aria-label={label}
      className="checkerboard relative h-full min-h-0 w-full min-w-0 cursor-grab touch-none overflow-hidden data-[panning]:cursor-grabbing"
    >
      {children}
      {badge}
    </div>
  );
}

export function Badge({ children, side }: { children: ReactNode; side: 'left' | 'right' }) {
  return (
    <span
      className={`pointer-events-none absolute top-3 z-20 rounded-md bg-black/55 px-2 py-1 text-[11px] font-medium tracking-wide text-white backdrop-blur ${side === 'left' ? 'left-3' : 'right-3'}`}
    >
      {children}
    </span>
  );
}
