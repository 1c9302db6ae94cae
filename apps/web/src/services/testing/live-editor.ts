import { resampleRgba, type LocalDeviceInfo, type RgbaImage } from '@loupe/shared';
import { createBrowserInference } from '../../inference/client';
import { encodePng } from '../../lib/png';
import type { DocumentStoreApi } from '../../stores/document-store';
import type { PreviewStoreApi } from '../../stores/preview-store';
import type { UiStoreApi } from '../../stores/ui-store';
import { createEditSession } from '../edit-session';
import { createPreviewService } from '../preview-service';
import { createRunService, type RunContext } from '../run-service';
import { ProtocolWorker } from './protocol-worker';

const NO_WEBGPU: LocalDeviceInfo = {
  webgpu: null,
  deviceMemoryGb: 8,
  hardwareConcurrency: 8,
  crossOriginIsolated: true,
};

/** Browser only, the server unreachable: every run and preview goes to the protocol worker. */
export const BROWSER_ONLY: RunContext = {
  mode: 'auto',
  browserEp: null,
  device: NO_WEBGPU,
  server: null,
  models: [],
};

/** What the protocol worker sends back for a run or a preview: each RGB byte plus 10. */
export const brighter = (img: RgbaImage): RgbaImage => ({
  ...img,
  data: img.data.map((v, i) => (i % 4 === 3 ? v : Math.min(255, v + 10))),
});

/**
 * The editor's live preview on real stores, the real inference client, run service and edit
 * session, over a protocol worker that holds previews (and with `holdRuns`, runs) back until
 * the test answers them.
 */
export function liveEditor(
  stores: { document: DocumentStoreApi; ui: UiStoreApi; preview: PreviewStoreApi },
  { holdRuns = false } = {},
) {
  const workers: ProtocolWorker[] = [];
  const inference = createBrowserInference({
    createWorker: () => {
      const w = new ProtocolWorker(brighter, { holdPreviews: true, holdRuns });
      workers.push(w);
      return w as unknown as Worker;
    },
  });
  const runs = createRunService({
    browser: () => inference,
    // Never reached: the context has no server.
    api: {} as never,
    encode: encodePng,
    decode: () => Promise.reject(new Error('no server in these tests')),
  });
  const session = createEditSession({ runs, document: stores.document, ui: stores.ui });
  const service = createPreviewService({
    browser: () => inference,
    runs,
    session,
    ...stores,
    // The shared kernel: the browser's resampler is not in Node.
    shrink: async (image, to) => resampleRgba(image, to, 'bilinear'),
  });
  const worker = () => workers.at(-1)!;
  return { service, session, worker, workers };
}
