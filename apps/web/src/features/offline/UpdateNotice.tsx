import { useState } from 'react';
import { appShell } from '../../services/app-shell';
import { useDocument } from '../../stores/editor-store';
import { Button } from '../../ui/Button';
import { sessionService, useSaveState } from '../session/session';
import { reloadIntoUpdate } from './reload-into-update';
import { useAppShellSnapshot } from './use-app-shell';

/**
 * "A new version is ready — Reload": a new build has installed and waits. Nothing reloads by
 * itself, so an edit in progress is never lost to an update; the person chooses when. Reload
 * writes the saved session first, so the work comes back in the new build; where it cannot be
 * saved, the notice says that reloading closes it.
 */
export function UpdateNotice() {
  const { updateReady } = useAppShellSnapshot();
  const hasImage = useDocument((s) => s.source !== null);
  const saveState = useSaveState();
  const [saving, setSaving] = useState(false);
  if (!updateReady) return null;
  const kept = saveState !== 'off' && saveState !== 'failed';
  const reload = () => {
    setSaving(true);
    void reloadIntoUpdate(sessionService.autosave, () => appShell.applyUpdate()).finally(() =>
      setSaving(false),
    );
  };
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
            {kept
              ? 'Your work is saved in this browser and comes back after the reload.'
              : 'Reloading closes the open image and its history.'}
          </p>
        ) : null}
      </div>
      <Button size="sm" variant="primary" disabled={saving} onClick={reload}>
        {saving ? 'Saving…' : 'Reload'}
      </Button>
    </div>
  );
}
