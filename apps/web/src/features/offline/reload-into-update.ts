import type { Autosave, SaveState } from '../../services/persistence/autosave';

/** What the Reload button leads to, from the save state the person saw when they clicked. */
export type UpdateReload = 'reloaded' | 'kept: the save failed';

/**
 * Reloads into the waiting build once the session is written, so the reload brings back what
 * the person sees (the notice says it will). A save that fails on the way does not reload:
 * the notice then says that reloading closes the work, and a second click, made knowing that,
 * reloads. A state already `off` or `failed` was on screen as that warning when they clicked.
 *
 * @example await reloadIntoUpdate(sessionService.autosave, () => appShell.applyUpdate());
 */
export async function reloadIntoUpdate(
  autosave: Pick<Autosave, 'status' | 'flush'>,
  applyUpdate: () => void,
): Promise<UpdateReload> {
  const seen: SaveState = autosave.status.getState().state;
  if (seen !== 'off' && seen !== 'failed') {
    await autosave.flush();
    if (autosave.status.getState().state !== 'saved') return 'kept: the save failed';
  }
  applyUpdate();
  return 'reloaded';
}
