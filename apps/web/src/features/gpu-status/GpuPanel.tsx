import { useEditor } from '../../stores/editor-store';
import { IconButton } from '../../ui/Button';
import { CloseIcon } from '../../ui/icons';
import { LocalGpu } from './LocalGpu';
import { ServerGpu } from './ServerGpu';

/** Slide-over with both sides of the hybrid: this browser's GPU and the server's. */
export function GpuPanel() {
  const open = useEditor((s) => s.gpuPanelOpen);
  const setOpen = useEditor((s) => s.setGpuPanelOpen);
  if (!open) return null;
  return (
    <aside
      aria-label="GPU status"
      className="fixed inset-y-0 right-0 z-40 flex w-full max-w-sm flex-col border-l border-zinc-200 bg-white/95 shadow-2xl backdrop-blur-xl sm:top-14 dark:border-zinc-800 dark:bg-zinc-900/95"
    >
      <header className="flex items-center justify-between border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 className="text-sm font-semibold">GPU status</h2>
        <IconButton label="Close GPU status" onClick={() => setOpen(false)}>
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
