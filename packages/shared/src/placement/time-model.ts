import type { ExecutionProvider } from '../api/execution';
import type { Residency } from '../api/models';
import { pixelCount } from '../image/rgba-image';
import type { BrowserEp } from '../protocol/worker-messages';
import type { LocalDeviceInfo } from './local-device';
import {
  LINK_PRIORS,
  QUEUED_JOB_SECONDS,
  RUN_OVERHEAD_SECONDS,
  SERVER_PRIOR_FLOPS,
  browserPriorFlops,
  browserSessionSeconds,
  keyEfficiency,
  serverLoadSeconds,
} from './priors';
import type { ComputeRates, LocalMeasurements, Rate } from './rates';
import type { ModelCost, WorkEstimate } from './work-estimate';

export const TIME_PARTS = ['wait', 'load', 'compute', 'transfer', 'codec', 'overhead'] as const;
export type TimePart = (typeof TIME_PARTS)[number];

/**
 * Predicted wall time of one run on one side, by part: `wait` in the server's queue, `load` of
 * models (download, session), `compute`, `transfer` (upload + download), `codec` (PNG encode
 * before upload, result decode after), fixed `overhead`.
 */
export interface TimeEstimate {
  readonly seconds: number;
  readonly parts: Readonly<Record<TimePart, number>>;
  /** Compute rests on this side's own measured runs, not on priors. */
  readonly measured: boolean;
}

function estimate(parts: Record<TimePart, number>, measured: boolean): TimeEstimate {
  const seconds = Object.values(parts).reduce((sum, s) => sum + s, 0);
  return { seconds, parts, measured };
}

/**
 * ESRGAN-class FLOP/s implied by what was measured: each key's rate over its family's
 * efficiency, weighted by runs. A device measured on one model is then known for the others.
 */
function impliedBase(rates: ComputeRates | undefined): number | null {
  const entries = Object.entries(rates ?? {});
  const runs = entries.reduce((sum, [, r]) => sum + r.samples, 0);
  if (!runs) return null;
  return (
    entries.reduce((sum, [key, r]) => sum + (r.perSecond / keyEfficiency(key)) * r.samples, 0) /
    runs
  );
}

/** Seconds of compute: each step at its key's measured rate, else at the (measured or prior) base. */
function computeSeconds(work: WorkEstimate, rates: ComputeRates | undefined, prior: number) {
  const base = impliedBase(rates);
  const seconds = work.steps.reduce((sum, step) => {
    const rate = rates?.[step.key]?.perSecond ?? (base ?? prior) * keyEfficiency(step.key);
    return sum + step.flops / rate;
  }, 0);
  return { seconds, measured: base !== null };
}

const per = (rate: Rate | undefined, prior: number) => rate?.perSecond ?? prior;

function modelBytes(work: WorkEstimate, models: readonly ModelCost[]): Map<string, number> {
  const byId = new Map(models.map((m) => [m.id, m.bytes]));
  return new Map(work.models.map((id) => [id, byId.get(id) ?? 0]));
}

export interface BrowserTimeInput {
  readonly device: LocalDeviceInfo;
  readonly ep: BrowserEp;
  readonly work: WorkEstimate;
  /** Manifest entries, for model bytes. */
  readonly models: readonly ModelCost[];
  /** Models in this browser's Cache Storage; the others are downloaded first. */
  readonly cachedModels?: readonly string[];
  readonly measured?: LocalMeasurements;
}

/**
 * This device's time for the edit: downloads of models not cached, their sessions, and the
 * steps at this EP's measured FLOP/s (priors by device class until it has run something).
 *
 * @example estimateBrowserTime({ device, ep: 'wasm', work, models }).seconds // 14.2
 */
export function estimateBrowserTime(input: BrowserTimeInput): TimeEstimate {
  const { ep, work, measured } = input;
  const cached = new Set(input.cachedModels ?? []);
  const downlink = per(measured?.downlink, LINK_PRIORS.downlink);
  let load = 0;
  for (const [id, bytes] of modelBytes(work, input.models)) {
    if (!cached.has(id)) load += bytes / downlink;
    load += browserSessionSeconds(ep, bytes);
  }
  const compute = computeSeconds(
    work,
    measured?.compute?.[ep],
    browserPriorFlops(input.device, ep),
  );
  return estimate(
    {
      wait: 0,
      load,
      compute: compute.seconds,
      transfer: 0,
      codec: 0,
      overhead: RUN_OVERHEAD_SECONDS.browser,
    },
    compute.measured,
  );
}

/** What the server says of its speed and state (GET /api/gpu/status). */
export interface ServerSpeed {
  /** The EP its workers run on: picks the prior until it has measured itself. */
  readonly ep?: ExecutionProvider;
  readonly queueDepth: number;
  /** How long a job sent now waits for a worker, as the server estimates it. */
  readonly expectedWaitMs?: number;
  /** FLOP/s of its recent runs with models already loaded, by rate key. */
  readonly compute?: ComputeRates;
  /** Where each model is now: a model on the device starts at once. */
  readonly residency?: Readonly<Partial<Record<string, Residency>>>;
}

export interface ServerTimeInput {
  readonly server: ServerSpeed;
  readonly work: WorkEstimate;
  readonly models: readonly ModelCost[];
  /**
   * Bytes of the file the run starts from, when the server is sent that file as it is; absent,
   * the browser PNG-encodes the picture first.
   */
  readonly originalFileBytes?: number;
  readonly measured?: LocalMeasurements;
}

/**
 * The server's time for the edit as this browser sees it: encode, upload, queue wait, model
 * loads, the steps at the server's measured FLOP/s, download and decode of the result.
 *
 * @example estimateServerTime({ server: { ep: 'cuda', queueDepth: 0 }, work, models }).seconds // 2.1
 */
export function estimateServerTime(input: ServerTimeInput): TimeEstimate {
  const { server, work, measured, originalFileBytes } = input;
  const inPixels = pixelCount(work.input);
  const outPixels = pixelCount(work.output);
  const uploadBytes = originalFileBytes ?? inPixels * LINK_PRIORS.pngBytesPerPixel;
  const encode =
    originalFileBytes === undefined
      ? inPixels / per(measured?.pngEncode, LINK_PRIORS.pngEncode)
      : 0;
  let load = 0;
  for (const [id, bytes] of modelBytes(work, input.models))
    load += serverLoadSeconds(server.residency?.[id], bytes);
  const compute = computeSeconds(work, server.compute, SERVER_PRIOR_FLOPS[server.ep ?? 'cpu']);
  return estimate(
    {
      wait: (server.expectedWaitMs ?? server.queueDepth * QUEUED_JOB_SECONDS * 1000) / 1000,
      load,
      compute: compute.seconds,
      transfer:
        uploadBytes / per(measured?.uplink, LINK_PRIORS.uplink) +
        (outPixels * LINK_PRIORS.pngBytesPerPixel) / per(measured?.downlink, LINK_PRIORS.downlink),
      codec: encode + outPixels / per(measured?.resultDecode, LINK_PRIORS.resultDecode),
      overhead: RUN_OVERHEAD_SECONDS.server,
    },
    compute.measured,
  );
}

/**
 * Seconds as the UI says them: tenths below one, whole seconds below a minute, then minutes.
 *
 * @example formatSeconds(0.34) // '0.3 s'; formatSeconds(13.6) // '14 s'; formatSeconds(150) // '3 min'
 */
export function formatSeconds(seconds: number): string {
  if (seconds < 0.95) return `${Math.max(0.1, Math.round(seconds * 10) / 10)} s`;
  if (seconds < 59.5) return `${Math.round(seconds)} s`;
  if (seconds < 3570) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
