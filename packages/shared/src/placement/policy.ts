import type { ErrorCode } from '../api/error-codes';
import type { Placement } from '../api/execution';
import type { Size } from '../image/rgba-image';
import type { Step } from '../ops/pipeline';
import type { BrowserEp } from '../protocol/worker-messages';
import { generativeBrowserProblem, type DiffusionModelCost } from './generative';
import { adapterName, isSoftwareAdapter, type LocalDeviceInfo } from './local-device';
import type { LocalMeasurements } from './rates';
import {
  PLACEMENT_REASONS,
  SERVER_UNAVAILABLE_ERRORS,
  type PlacementReasonCode,
  type ReasonContext,
} from './reasons';
import { describeExcess, overServerLimits, type ServerLimits } from './server-limits';
import {
  estimateBrowserTime,
  estimateServerTime,
  formatSeconds,
  type ServerSpeed,
  type TimeEstimate,
} from './time-model';
import { estimateWork, type ModelCost, type WorkEstimate } from './work-estimate';

export const PLACEMENT_MODES = ['auto', 'browser', 'server'] as const;
export type PlacementMode = (typeof PLACEMENT_MODES)[number];

/**
 * What the app knows of the server, from /api/health/ready, /api/gpu/status and /api/limits;
 * null when unreachable. Everything past `capacity` is optional: without it the time model
 * uses its priors and no limit is checked.
 */
export interface ServerAvailability extends ServerSpeed {
  readonly ready: boolean;
  readonly capacity: number;
  readonly limits?: ServerLimits;
}

export interface PlacementInput {
  readonly mode: PlacementMode;
  /** A browser EP the user picked (GPU panel, tests); otherwise the policy picks. */
  readonly browserEp?: BrowserEp;
  readonly device: LocalDeviceInfo;
  readonly steps: readonly Step[];
  readonly image: Size;
  /** Manifest entries (GET /api/models or /models/manifest.json) for the steps' models. */
  readonly models: readonly ModelCost[];
  readonly server: ServerAvailability | null;
  /** What this browser measured of its runs and its link (the web app's throughput store). */
  readonly measured?: LocalMeasurements;
  /** Models already in this browser's Cache Storage. */
  readonly cachedModels?: readonly string[];
  /** Bytes of the original file, when the run starts from it and the server may be sent it as is. */
  readonly originalFileBytes?: number;
  /** The user asked to run an edit over this device's memory budget here anyway (`overridable`). */
  readonly acceptOverBudget?: boolean;
  /** Diffusion folders (GET /api/models `diffusion`), for the bytes of a generative step's parts. */
  readonly diffusion?: readonly DiffusionModelCost[];
  /**
   * TEST ONLY (the e2e suite's override, apps/web README): generative edits may run in this
   * browser on any adapter, WASM included. Never a product control.
   */
  readonly testOnlyGenerativeOnAnyAdapter?: boolean;
}

export interface PlacementDecision {
  readonly where: Placement;
  /** The browser EP to try first; only when `where` is 'browser'. */
  readonly ep?: BrowserEp;
  readonly reasonCode: PlacementReasonCode;
  /** UI text, e.g. "Server: Server ≈ 2 s, this device ≈ 14 s (WASM: this browser has no WebGPU)". */
  readonly reason: string;
  /** Set when the edit cannot run as placed (a forced server that is down, a result too big): show, don't run. */
  readonly error?: ErrorCode;
  /**
   * Blocked only by this device's memory budget, and by less than the device has: the user may
   * run it here anyway (`acceptOverBudget`), knowing it may fail.
   */
  readonly overridable?: boolean;
  readonly work: WorkEstimate;
  /** Each side's predicted time; null for a side that cannot run it (server down or over its limits). */
  readonly estimates: { readonly browser: TimeEstimate; readonly server: TimeEstimate | null };
}

const MiB = 2 ** 20;
/** Chromium caps deviceMemory at 8 and hides it elsewhere; 4 GB is the median device we plan for. */
const ASSUMED_DEVICE_MEMORY_GB = 4;
/** A tab that wants to survive takes about a quarter of device memory. */
const MEMORY_BUDGET_FRACTION = 0.25;
/** Beyond half of device memory a tab is killed, not slowed: no "run anyway" past that. */
const OVERRIDE_FRACTION = 0.5;
/** Model weights are held twice while a session is created (fetched bytes + the runtime's copy). */
const MODEL_COPIES = 2;
/**
 * The server must be clearly quicker to be sent an edit: the estimates are rough, and an edit
 * that stays here uses nobody's shared GPU and sends no picture away.
 */
export const SERVER_ADVANTAGE = 1.2;

const deviceBytes = (device: LocalDeviceInfo) =>
  (device.deviceMemoryGb ?? ASSUMED_DEVICE_MEMORY_GB) * 1024 * MiB;

/** Bytes this browser tab can spend on one edit. */
export function memoryBudgetBytes(device: LocalDeviceInfo): number {
  return deviceBytes(device) * MEMORY_BUDGET_FRACTION;
}

function serverProblem(server: ServerAvailability | null): ReasonContext['server'] | null {
  if (!server) return 'unreachable';
  if (!server.ready) return 'not ready';
  return server.queueDepth >= server.capacity ? 'at capacity' : null;
}

/**
 * What a heavy step computes, in the reason's words: "1 tile of 256², 332 GFLOP".
 *
 * @example describeHeavyWork(work) // '2 tiles of 256², 665 GFLOP'
 */
export function describeHeavyWork(work: WorkEstimate): string {
  const heavy = work.steps.filter((s) => s.heavy);
  if (!heavy.length) return '';
  const tiles = heavy.reduce((n, s) => n + s.heavy!.tiles, 0);
  const edge = heavy[0]!.heavy!.tile;
  const gflop = heavy.reduce((n, s) => n + s.flops, 0) / 1e9;
  return `${tiles} tile${tiles === 1 ? '' : 's'} of ${edge}², ${gflop >= 10 ? Math.round(gflop) : gflop.toFixed(1)} GFLOP`;
}

/** WebGPU only on a hardware adapter: SwiftShader runs ~150x slower than WASM. */
function bestBrowserEp(device: LocalDeviceInfo, wanted?: BrowserEp): BrowserEp {
  if (wanted === 'wasm' || !device.webgpu) return 'wasm';
  if (wanted === 'webgpu') return 'webgpu';
  return isSoftwareAdapter(device.webgpu) ? 'wasm' : 'webgpu';
}

/** Why the browser runs on `ep`, for the reason's parenthesis. */
function engineWhy(device: LocalDeviceInfo, ep: BrowserEp, wanted?: BrowserEp): string {
  const gpu = device.webgpu;
  if (!gpu) return 'this browser has no WebGPU';
  if (isSoftwareAdapter(gpu)) return `${adapterName(gpu)} is software`;
  if (ep === 'wasm') return wanted === 'wasm' ? 'you chose WASM' : '';
  return adapterName(gpu);
}

/**
 * Where an edit runs and why. Hard rules first: a forced mode when it is possible, a server
 * that is down or refuses the edit's size, this device's memory budget, never a software
 * WebGPU adapter unless asked. Otherwise the side with the shorter predicted time (the time
 * model: measured throughput, queue wait, model loads, transfer and encoding). Pure: callers
 * probe, measure and fetch.
 *
 * @example decidePlacement({ mode: 'auto', device: budgetLaptop, steps, image, models, server, measured })
 *   // { where: 'server', reasonCode: 'quicker-on-server',
 *   //   reason: 'Server: Server ≈ 2 s, this device ≈ 14 s (WASM: this browser has no WebGPU)', ... }
 */
export function decidePlacement(input: PlacementInput): PlacementDecision {
  const { device, mode, server } = input;
  const work = estimateWork(input.steps, input.image, input.models);
  const budget = memoryBudgetBytes(device);
  const need = work.modelBytes * MODEL_COPIES + work.peakStepBytes;
  const fitsHere = need <= budget;
  const overridable = !fitsHere && need <= deviceBytes(device) * OVERRIDE_FRACTION;
  const problem = serverProblem(server);
  const excess = overServerLimits(input.steps, input.image, server?.limits);
  const serverCan = !problem && !excess;
  const generative = generativeBrowserProblem(
    device,
    input.steps,
    input.diffusion ?? [],
    input.testOnlyGenerativeOnAnyAdapter,
  );
  const ep = bestBrowserEp(device, input.browserEp);
  const estimates = {
    browser: estimateBrowserTime({
      device,
      ep,
      work,
      models: input.models,
      ...(input.cachedModels ? { cachedModels: input.cachedModels } : {}),
      ...(input.measured ? { measured: input.measured } : {}),
    }),
    server:
      server && serverCan
        ? estimateServerTime({
            server,
            work,
            models: input.models,
            ...(input.originalFileBytes !== undefined
              ? { originalFileBytes: input.originalFileBytes }
              : {}),
            ...(input.measured ? { measured: input.measured } : {}),
          })
        : null,
  };
  const context: ReasonContext = {
    adapter: device.webgpu ? adapterName(device.webgpu) : 'none',
    needMb: Math.ceil(need / MiB),
    budgetMb: Math.floor(budget / MiB),
    server: problem ?? 'unreachable',
    engine: ep === 'webgpu' ? 'WebGPU' : 'WASM',
    engineWhy: engineWhy(device, ep, input.browserEp),
    browserTime: formatSeconds(estimates.browser.seconds),
    serverTime: estimates.server ? formatSeconds(estimates.server.seconds) : '',
    excess: excess ? describeExcess(excess) : '',
    fitsHere,
    serverCan,
    generativeWhy: generative?.why ?? '',
    heavyWork: describeHeavyWork(work),
  };
  const decide = (
    where: Placement,
    reasonCode: PlacementReasonCode,
    extra: { error?: ErrorCode; overridable?: boolean } = {},
  ): PlacementDecision => ({
    where,
    ...(where === 'browser' ? { ep } : {}),
    ...extra,
    reasonCode,
    reason: PLACEMENT_REASONS[reasonCode](context),
    work,
    estimates,
  });
  const tooBig = (where: Placement, reasonCode: PlacementReasonCode) =>
    input.acceptOverBudget && overridable
      ? decide('browser', 'over-budget-accepted')
      : decide(where, reasonCode, { error: 'OUTPUT_TOO_LARGE', overridable });

  if (mode === 'server') {
    if (problem)
      return decide('server', 'forced-server-unavailable', {
        error: SERVER_UNAVAILABLE_ERRORS[problem],
      });
    if (excess)
      return decide('server', 'forced-server-over-limit', {
        error: excess.what === 'input' ? 'IMAGE_TOO_LARGE' : 'OUTPUT_TOO_LARGE',
      });
    return decide('server', 'forced-server');
  }
  // Issue #13: a generative edit that cannot run here is refused (forced) or sent to the server.
  if (generative) {
    if (mode === 'browser')
      return decide('browser', 'forced-browser-generative', {
        error: generative.kind === 'too-big' ? 'OUTPUT_TOO_LARGE' : 'WEBGPU_UNAVAILABLE',
      });
    if (serverCan) return decide('server', 'generative-on-server');
    return decide('browser', 'generative-neither', {
      error: problem
        ? SERVER_UNAVAILABLE_ERRORS[problem]
        : excess?.what === 'input'
          ? 'IMAGE_TOO_LARGE'
          : 'OUTPUT_TOO_LARGE',
    });
  }
  if (mode === 'browser') {
    if (!fitsHere) return tooBig('browser', 'forced-browser-too-big');
    return decide('browser', ep === 'webgpu' ? 'forced-browser' : 'forced-browser-wasm');
  }
  if (!fitsHere) {
    if (serverCan) return decide('server', 'over-budget');
    return tooBig('browser', problem ? 'server-unavailable-too-big' : 'too-big-for-both');
  }
  if (problem) return decide('browser', 'server-unavailable');
  if (excess || !estimates.server) return decide('browser', 'over-server-limit');
  // Issue #16: MAXIM's hundreds of GFLOP a tile go to the server unless this device has a
  // hardware GPU; with one, the times decide like any other edit.
  if (context.heavyWork && ep !== 'webgpu') return decide('server', 'heavy-on-server');
  return estimates.server.seconds * SERVER_ADVANTAGE < estimates.browser.seconds
    ? decide('server', 'quicker-on-server')
    : decide('browser', 'quicker-here');
}
