import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { queries } from '../../api/queries';
import { appShell, type ShellSnapshot } from '../../services/app-shell';

/** Whether a new build waits for Reload. */
export function useAppShellSnapshot(): ShellSnapshot {
  return useSyncExternalStore(appShell.subscribe, appShell.getSnapshot);
}

/** The shell's cached state, asked again whenever its worker changes (installed, activated, replaced). */
export function useShellState() {
  const client = useQueryClient();
  useEffect(
    () =>
      appShell.subscribe(
        () => void client.invalidateQueries({ queryKey: queries.appShell().queryKey }),
      ),
    [client],
  );
  return useQuery(queries.appShell());
}
