import { appShell } from '../../services/app-shell';
import { useDocument } from '../../stores/editor-store';
import { Button } from '../../ui/Button';
import { useAppShellSnapshot } from './use-app-shell';

/**
 * "A new version is ready — Reload": a new build has installed and waits. Nothing reloads by
 * itself, so an edit in progress is never lost to an update; the person chooses when.
 */
export function UpdateNotice() {
  const { updateReady } = useAppShellSnapshot();
  const hasImage = useDocument((s) => s.source !== null);
  if (!updateReady) return null;
  return (
    <div
      role="status"
      aria-label="Update"
      className="pointer-events-auto flex items-center gap-3 rounded-xl border border-accent-500/40 bg-white px-4 py-3 shadow-lg dark:bg-zinc-900"
    >
      <div className="min-w-0 flex-1">
        <p className="text-sm font-semibold">A new version is ready</p>
        {hasImage ? (
          <p className="mt-0.5 text-xs opacity-80">
            Reloading closes the open image and its history.
          </p>
        ) : null}
      </div>
      <Button size="sm" variant="primary" onClick={() => appShell.applyUpdate()}>
        Reload
      </Button>
    </div>
  );
}
