import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { useEditor } from '../../stores/editor-store';

/** The before/after divider: drag it, or focus it and use the arrow keys (Shift for 10%). */
export function SplitHandle({ paneWidth }: { paneWidth: number }) {
  const split = useEditor((s) => s.split);
  const setSplit = useEditor((s) => s.setSplit);
  const dragging = useRef(false);
  const track = (e: PointerEvent<HTMLDivElement>) => {
    const r = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect();
    setSplit(((e.clientX - r.left) / r.width) * 100);
  };
  const keys = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 10 : 1;
    const next = {
      ArrowLeft: split - step,
      ArrowDown: split - step,
      ArrowRight: split + step,
      ArrowUp: split + step,
      Home: 0,
      End: 100,
      PageDown: split - 10,
      PageUp: split + 10,
    }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    setSplit(next);
  };
  return (
    <div
      data-no-pan
      className="absolute inset-y-0 z-10 -ml-4 w-8 cursor-ew-resize touch-none"
      style={{ left: (split / 100) * paneWidth }}
      onPointerDown={(e) => {
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => dragging.current && track(e)}
      onPointerUp={() => (dragging.current = false)}
    >
      <div className="absolute inset-y-0 left-1/2 w-0.5 -translate-x-1/2 bg-white shadow-[0_0_0_1px_rgba(0,0,0,0.25)]" />
      <div
        role="slider"
        tabIndex={0}
        aria-label="Comparison split"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(split)}
        aria-valuetext={`${Math.round(split)}% original`}
        onKeyDown={keys}
        className="absolute top-1/2 left-1/2 flex size-9 -translate-x-1/2 -translate-y-1/2 items-center justify-center rounded-full bg-white text-zinc-700 shadow-lg ring-1 ring-black/10 outline-none focus-visible:ring-4 focus-visible:ring-accent-500/60"
      >
        <svg
          viewBox="0 0 24 24"
          width="18"
          height="18"
          fill="none"
          stroke="currentColor"
          strokeWidth={2}
          strokeLinecap="round"
          aria-hidden="true"
        >
          <path d="m9 7-5 5 5 5m6-10 5 5-5 5" />
        </svg>
      </div>
    </div>
  );
}
