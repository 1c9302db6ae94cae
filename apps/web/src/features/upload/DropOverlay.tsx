import { UploadIcon } from '../../ui/icons';

export function DropOverlay() {
  return (
    <div
      className="pointer-events-none fixed inset-0 z-50 flex items-center justify-center bg-accent-600/15 p-6 backdrop-blur-sm"
      aria-hidden="true"
    >
      <div className="flex flex-col items-center gap-3 rounded-2xl border-2 border-dashed border-accent-500 bg-white/90 px-12 py-10 text-center shadow-2xl dark:bg-zinc-900/90">
        <UploadIcon width={36} height={36} className="text-accent-500" />
        <p className="text-lg font-semibold">Drop to open</p>
        <p className="text-sm text-zinc-500">Several files become a batch</p>
      </div>
    </div>
  );
}
