import type {
  DiffusionModelInfo,
  GpuStatus,
  ModelsResponse,
  ServerAvailability,
  UploadLimits,
} from '@loupe/shared';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useSyncExternalStore } from 'react';
import { queries } from '../../api/queries';
import { NO_BROWSER_DEVICE } from '../../services/browser-inference';
import type { RunContext } from '../../services/run-service';
import { throughput } from '../../services/throughput';
import { useUi } from '../../stores/editor-store';
import { uploadLimitsQuery } from '../upload/upload-limits';

export interface RunContextState {
  /** Null while the device is being probed. */
  context: RunContext | null;
  serverReachable: boolean;
  browserAvailable: boolean;
}

/** The server as placement weighs it: its state, its measured speed and queue, what it refuses. */
function serverAvailability(
  ready: boolean,
  gpu: GpuStatus | undefined,
  limits: UploadLimits | undefined,
): ServerAvailability {
  return {
    ready,
    queueDepth: gpu?.queue.depth ?? 0,
    capacity: gpu?.queue.capacity ?? Number.POSITIVE_INFINITY,
    ...(gpu
      ? {
          ep: gpu.ep,
          residency: Object.fromEntries(gpu.models.map((m) => [m.id, m.residency])),
          ...(gpu.queue.expectedWaitMs !== undefined
            ? { expectedWaitMs: gpu.queue.expectedWaitMs }
            : {}),
          ...(gpu.throughput ? { compute: gpu.throughput.compute } : {}),
        }
      : {}),
    ...(limits
      ? {
          limits: {
            maxInputPixels: limits.maxInputPixels,
            maxOutputPixels: limits.maxOutputPixels,
          },
        }
      : {}),
  };
}

/** The diffusion folders the server can run, as placement and the worker read them. */
export function readyDiffusion(models: ModelsResponse | undefined): DiffusionModelInfo[] {
  return (models?.diffusion.models ?? []).flatMap((m) => (m.status === 'ready' ? [m] : []));
}

/**
 * What placement needs to know, from the user's choices, the device and server queries, the
 * server's limits, the models this browser has cached and what it has measured of itself.
 */
export function useRunContext(): RunContextState {
  const mode = useUi((s) => s.mode);
  const browserEp = useUi((s) => s.browserEp);
  const device = useQuery(queries.localDevice());
  const ready = useQuery(queries.ready());
  const gpu = useQuery({ ...queries.gpuStatus(), enabled: ready.isSuccess });
  const manifest = useQuery(queries.manifest());
  const limits = useQuery(uploadLimitsQuery());
  const cached = useQuery({ ...queries.cachedModels(), enabled: device.isSuccess });
  const serverModels = useQuery({ ...queries.serverModels(), enabled: ready.isSuccess });
  const measured = useSyncExternalStore(throughput.subscribe, throughput.snapshot);

  return useMemo(() => {
    // A failed refetch keeps the last good `data`: reachability must follow the error, not the data.
    const serverReachable = ready.isSuccess && !ready.isError;
    const server =
      serverReachable && ready.data
        ? serverAvailability(ready.data.ready, gpu.data, limits.data)
        : null;
    const probed = device.data ?? (device.isError ? NO_BROWSER_DEVICE : null);
    const context: RunContext | null = probed
      ? {
          mode,
          browserEp,
          device: probed,
          server,
          models: manifest.data?.models ?? [],
          measured,
          ...(cached.data ? { cachedModels: cached.data.map((m) => m.id) } : {}),
          diffusion: readyDiffusion(serverModels.data),
        }
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
    limits.data,
    cached.data,
    serverModels.data,
    measured,
  ]);
}
