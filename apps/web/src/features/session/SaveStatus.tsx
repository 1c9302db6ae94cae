import type { SaveState } from '../../services/persistence/autosave';
import { useSaveState } from './session';

const TEXT: Record<SaveState, string> = {
  pending: 'Saving…',
  saved: 'Saved in this browser',
  off: "Not saved: this browser's storage is unavailable",
  failed: 'Not saved: storage is full',
};

/** Whether a reload would bring this back: the session's save state, in words. */
export function SaveStatus() {
  const state = useSaveState();
  return (
    <p
      role="status"
      aria-label="Session"
      data-state={state}
      className={`text-[11px] ${state === 'off' || state === 'failed' ? 'text-amber-600 dark:text-amber-400' : 'text-zinc-400'}`}
    >
      {TEXT[state]}
    </p>
  );
}
