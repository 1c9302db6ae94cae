import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { queries } from '../../api/queries';

/** The ids of the models this install built (its manifest); undefined until it is read. */
export function useInstalledModels(): ReadonlySet<string> | undefined {
  const manifest = useQuery(queries.manifest());
  return useMemo(
    () => (manifest.data ? new Set<string>(manifest.data.models.map((m) => m.id)) : undefined),
    [manifest.data],
  );
}
