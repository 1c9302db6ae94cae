import { useCallback, useLayoutEffect, useRef } from 'react';
import { useEditor } from '../../stores/editor-store';
import { IconButton } from '../../ui/Button';
import { CloseIcon } from '../../ui/icons';
import { useDismiss } from '../../ui/use-dismiss';
import { LocalGpu } from './LocalGpu';
import { ServerGpu } from './ServerGpu';

/** Slide-over with both sides of the hybrid: this browser's GPU and the server's. */
export function GpuPanel() {
  const open = useEditor((s) => s.gpuPanelOpen);
  const setOpen = useEditor((s) => s.setGpuPanelOpen);
  const close = useCallback(() => setOpen(false), [setOpen]);
  const panel = useRef<HTMLElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  // Whatever had focus when the panel opened (its header button) gets it back on Esc.
  useLayoutEffect(() => {
    if (!open) return;
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeButton.current?.focus();
  }, [open]);
  // The panel sits beside the editor, which stays usable: only Esc closes it, not a click elsewhere.
  useDismiss(open, close, panel, opener, { outside: false });
  if (!open) return null;
  return (
    <aside
      ref={panel}
      aria-label="GPU status"
      className="fixed inset-y-0 right-0 z-40 flex w-full max-w-sm flex-col border-l border-zinc-200 bg-white/95 shadow-2xl backdrop-blur-xl sm:top-14 dark:border-zinc-800 dark:bg-zinc-900/95"
    >
      <header className="flex items-center justify-between border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 className="text-sm font-semibold">GPU status</h2>
        <IconButton ref={closeButton} label="Close GPU status" onClick={close}>
          <CloseIcon />
        </IconButton>
      </header>
      <div className="scrollbar-thin flex-1 space-y-6 overflow-y-auto p-4">
        <section aria-labelledby="gpu-local">
          <h3
            id="gpu-local"
            className="mb-3 text-[11px] font-semibold tracking-wider text-zinc-500 uppercase"
          >
            This browser
          </h3>
          <LocalGpu />
        </section>
        <section aria-labelledby="gpu-server">
          <h3
            id="gpu-server"
            className="mb-3 text-[11px] font-semibold tracking-wider text-zinc-500 uppercase"
          >
            Server
          </h3>
          <ServerGpu />
        </section>
      </div>
    </aside>
  );
}
