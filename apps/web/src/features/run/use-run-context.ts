import type { ServerAvailability } from '@loupe/shared';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { queries } from '../../api/queries';
import { NO_BROWSER_DEVICE } from '../../services/browser-inference';
import type { RunContext } from '../../services/run-service';
import { useUi } from '../../stores/editor-store';

export interface RunContextState {
  /** Null while the device is being probed. */
  context: RunContext | null;
  serverReachable: boolean;
  browserAvailable: boolean;
}

/** What placement needs to know, from the user's choices and the device and server queries. */
export function useRunContext(): RunContextState {
  const mode = useUi((s) => s.mode);
  const browserEp = useUi((s) => s.browserEp);
  const device = useQuery(queries.localDevice());
  const ready = useQuery(queries.ready());
  const gpu = useQuery({ ...queries.gpuStatus(), enabled: ready.isSuccess });
  const manifest = useQuery(queries.manifest());

  return useMemo(() => {
    // A failed refetch keeps the last good `data`: reachability must follow the error, not the data.
    const serverReachable = ready.isSuccess && !ready.isError;
    const server: ServerAvailability | null =
      serverReachable && ready.data
        ? {
            ready: ready.data.ready,
            queueDepth: gpu.data?.queue.depth ?? 0,
            capacity: gpu.data?.queue.capacity ?? Number.POSITIVE_INFINITY,
          }
        : null;
    const probed = device.data ?? (device.isError ? NO_BROWSER_DEVICE : null);
    const context: RunContext | null = probed
      ? { mode, browserEp, device: probed, server, models: manifest.data?.models ?? [] }
      : null;
    return {
      context,
      serverReachable,
      browserAvailable: probed !== null && probed !== NO_BROWSER_DEVICE,
    };
  }, [
    mode,
    browserEp,
    device.data,
    device.isError,
    ready.data,
    ready.isSuccess,
    ready.isError,
    gpu.data,
    manifest.data,
  ]);
}
