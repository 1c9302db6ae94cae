import { isShellKept, type ShellState } from '../../services/app-shell';

export interface OfflineSummary {
  /** The app loads and these models run with the server down. */
  ready: boolean;
  text: string;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * What the GPU panel says about offline use, from what the caches hold: "kept for offline
 * use" only once the whole app shell and at least one model are in Cache Storage.
 *
 * @example offlineSummary({ kind: 'active', version: 'v', cached: 7, total: 7 }, 2)
 *   // { ready: true, text: 'Ready: the app and 2 models are kept for offline use' }
 */
export function offlineSummary(shell: ShellState | undefined, models: number): OfflineSummary {
  const no = (text: string) => ({ ready: false, text });
  if (!shell) return no('Checking…');
  if (isShellKept(shell)) {
    return models > 0
      ? {
          ready: true,
          text: `Ready: the app and ${plural(models, 'model')} ${models === 1 ? 'is' : 'are'} kept for offline use`,
        }
      : no('The app is saved; no model yet (each is saved on first use)');
  }
  switch (shell.kind) {
    case 'unavailable':
      return no(`Unavailable: ${shell.reason}`);
    case 'development':
      return no('Not in development builds (no service worker)');
    case 'installing':
      return no('Saving the app for offline use…');
    case 'active':
      return no(`Incomplete: ${shell.cached} of ${plural(shell.total, 'app file')} saved`);
  }
}
