import { Button } from '../../ui/Button';
import { restoredStore, startFresh, useRestored } from './session';

/** "Restored your last session", with the way back to an empty editor. Shown until dismissed. */
export function RestoredSession() {
  const restored = useRestored();
  if (!restored) return null;
  const { documents, steps } = restored;
  return (
    <div
      role="status"
      aria-label="Restored session"
      className="mx-4 mt-4 space-y-2 rounded-lg bg-accent-500/10 px-3 py-2 text-xs text-accent-700 dark:text-accent-300"
    >
      <p>
        <span className="font-semibold">Restored your last session</span>:{' '}
        {documents === 1 ? '1 document' : `${documents} documents`},{' '}
        {steps === 1 ? '1 step' : `${steps} steps`}.
      </p>
      <div className="flex gap-2">
        <Button size="sm" onClick={() => void startFresh()}>
          Start fresh
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => restoredStore.setState({ restored: null })}
        >
          Dismiss
        </Button>
      </div>
    </div>
  );
}
