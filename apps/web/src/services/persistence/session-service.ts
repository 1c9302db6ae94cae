import type { Notice } from '../../stores/ui-store';
import { createAutosave, type Autosave } from './autosave';
import { isQuotaError, type SessionDb } from './session-db';
import type { RecordProblem, SavedSession } from './session-record';
import { createSessionStorage, type SessionStorage } from './session-storage';

export interface SessionServiceDeps {
  /** Opens the database; rejects where IndexedDB is missing or refused. */
  open(): Promise<SessionDb>;
  /** The saved-session byte budget (from the storage estimate). */
  budget(): Promise<number>;
  /** The session as it is now: every document and the batch. */
  collect(): Promise<SavedSession>;
  /** Calls `onChange` after each change worth saving (a committed step, a document, the batch). */
  subscribe(onChange: () => void): () => void;
  /** Puts a saved session back into the app. */
  restore(session: SavedSession): Promise<void>;
  notify(notice: Omit<Notice, 'id'>): void;
  delayMs?: number;
}

/** What was brought back, for the "Restored your last session" notice. */
export interface Restored {
  documents: number;
  steps: number;
}

export interface SessionService {
  readonly autosave: Autosave;
  /**
   * Restores the saved session, if any, then saves every change from here on. Without
   * IndexedDB, or with a record it cannot read, it says so once and the app works in memory.
   */
  start(): Promise<Restored | null>;
  /** Clears what is saved; the app's own state is the caller's to clear. */
  clear(): Promise<void>;
}

const PROBLEM: Record<RecordProblem, string> = {
  'other-version': 'It was saved by another version of Loupe.',
  damaged: 'What was saved is damaged.',
};

/**
 * The session that survives a reload or a crash: restored on start, saved (debounced) after
 * every change, within a byte budget. Framework-free: the app hands it what to save and how to
 * restore it.
 */
export function createSessionService(deps: SessionServiceDeps): SessionService {
  let storage: SessionStorage | null = null;
  let budget = 0;
  let told = false;
  const tellOnce = (notice: Omit<Notice, 'id'>) => {
    if (told) return;
    told = true;
    deps.notify(notice);
  };
  const autosave = createAutosave({
    collect: deps.collect,
    save: async (session) => storage?.save(session),
    delayMs: deps.delayMs ?? 300,
    onError: (e) =>
      tellOnce(
        isQuotaError(e)
          ? {
              tone: 'error',
              title: 'Storage is full: recent work is not saved',
              detail:
                'Your work stays in this tab, but a reload would lose the latest of it. Close documents you no longer need, or free some space for this site.',
            }
          : {
              tone: 'error',
              title: 'Your work could not be saved',
              detail: `It stays in this tab; a reload would lose the latest of it. (${(e as Error).message})`,
            },
      ),
  });

  return {
    autosave,
    async start() {
      try {
        storage = createSessionStorage(await deps.open(), () => budget);
        budget = await deps.budget();
      } catch {
        autosave.status.setState({ state: 'off' });
        // An error's tone so it stays until read: work is at risk, not just informed about.
        tellOnce({
          tone: 'error',
          title: 'This session is kept in this tab only',
          detail:
            "The browser's storage is not available here, so a reload would lose your work. Download what you want to keep.",
        });
        return null;
      }
      let restored: Restored | null = null;
      try {
        const loaded = await storage.load();
        if (!loaded.ok) {
          deps.notify({
            tone: 'info',
            title: 'Your last session could not be restored',
            detail: PROBLEM[loaded.problem],
          });
        } else if (loaded.session) {
          const { workspace, batch } = loaded.session;
          if (workspace.documents.length || batch?.items.length) {
            await deps.restore(loaded.session);
            restored = {
              documents: workspace.documents.length,
              steps: workspace.documents.reduce((n, d) => n + d.history.length, 0),
            };
          }
          if (loaded.lost)
            deps.notify({
              tone: 'info',
              title: `${loaded.lost === 1 ? '1 document' : `${loaded.lost} documents`} could not be restored`,
              detail: 'Their files were missing from what was saved.',
            });
        }
      } catch (e) {
        deps.notify({
          tone: 'info',
          title: 'Your last session could not be restored',
          detail: (e as Error).message,
        });
      }
      deps.subscribe(() => autosave.schedule());
      // Anything opened while the saved session was read gets saved too.
      autosave.schedule();
      if (typeof addEventListener === 'function')
        addEventListener('pagehide', () => void autosave.flush());
      return restored;
    },
    async clear() {
      await autosave.stop();
      await storage?.clear();
    },
  };
}
