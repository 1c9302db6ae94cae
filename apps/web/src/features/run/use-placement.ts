import {
  decidePlacement,
  parsePipeline,
  type FieldIssue,
  type PlacementDecision,
  type ServerAvailability,
  type Step,
} from '@loupe/shared';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { queries } from '../../api/queries';
import { currentImage, useEditor } from '../../stores/editor-store';
import { NO_BROWSER_DEVICE } from './browser-inference';

export interface Placement {
  /** Null while the device is being probed or the parameters are invalid. */
  decision: PlacementDecision | null;
  step: Step | null;
  issues: FieldIssue[];
  serverReachable: boolean;
  browserAvailable: boolean;
  probing: boolean;
}

/**
 * Where the next run goes and why, recomputed whenever the op, its parameters, the image,
 * the device probe or the server's state change, so the UI always shows it before Run.
 */
export function usePlacement(): Placement {
  const mode = useEditor((s) => s.mode);
  const browserEp = useEditor((s) => s.browserEp);
  const op = useEditor((s) => s.op);
  const params = useEditor((s) => s.params);
  const image = useEditor(currentImage);
  const device = useQuery(queries.localDevice());
  const ready = useQuery(queries.ready());
  const gpu = useQuery({ ...queries.gpuStatus(), enabled: ready.isSuccess });
  const manifest = useQuery(queries.manifest());

  return useMemo(() => {
    const parsed = parsePipeline([{ op, params }]);
    const step = parsed.ok ? parsed.value[0]! : null;
    const issues = parsed.ok ? [] : parsed.issues;
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
    const browserAvailable = probed !== null && probed !== NO_BROWSER_DEVICE;
    if (!step || !probed) {
      return { decision: null, step, issues, serverReachable, browserAvailable, probing: !probed };
    }
    const decision = decidePlacement({
      mode,
      ...(browserEp ? { browserEp } : {}),
      device: probed,
      steps: [step],
      image: image ?? { width: 1024, height: 1024 },
      models: manifest.data?.models ?? [],
      server,
    });
    return { decision, step, issues, serverReachable, browserAvailable, probing: false };
  }, [
    mode,
    browserEp,
    op,
    params,
    image,
    device.data,
    device.isError,
    ready.data,
    ready.isSuccess,
    ready.isError,
    gpu.data,
    manifest.data,
  ]);
}
