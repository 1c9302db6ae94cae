import type { ErrorCode } from '../api/error-codes';
import type { Placement } from '../api/execution';
import type { Size } from '../image/rgba-image';
import type { Step } from '../ops/pipeline';
import type { BrowserEp } from '../protocol/worker-messages';
import { adapterName, isSoftwareAdapter, type LocalDeviceInfo } from './local-device';
import {
  PLACEMENT_REASONS,
  SERVER_UNAVAILABLE_ERRORS,
  type PlacementReasonCode,
  type ReasonContext,
} from './reasons';
import { estimateWork, type ModelCost, type WorkEstimate } from './work-estimate';

export const PLACEMENT_MODES = ['auto', 'browser', 'server'] as const;
export type PlacementMode = (typeof PLACEMENT_MODES)[number];

/** What the app knows of the server, from /api/health/ready and /api/gpu; null when unreachable. */
export interface ServerAvailability {
  readonly ready: boolean;
  readonly queueDepth: number;
  readonly capacity: number;
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
}

export interface PlacementDecision {
  readonly where: Placement;
  /** The browser EP to try first; only when `where` is 'browser'. */
  readonly ep?: BrowserEp;
  readonly reasonCode: PlacementReasonCode;
  /** UI text, e.g. "Server: this device has no hardware WebGPU (google swiftshader is software)". */
  readonly reason: string;
  /** Set when the edit cannot run as placed (a forced server that is down): show, don't run. */
  readonly error?: ErrorCode;
  readonly work: WorkEstimate;
}

const MiB = 2 ** 20;
/** Chromium caps deviceMemory at 8 and hides it elsewhere; 4 GB is the median device we plan for. */
const ASSUMED_DEVICE_MEMORY_GB = 4;
/** A tab that wants to survive takes about a quarter of device memory. */
const MEMORY_BUDGET_FRACTION = 0.25;
/** Model weights are held twice while a session is created (fetched bytes + the runtime's copy). */
const MODEL_COPIES = 2;
/** Below this an upload + queue + download costs more than the edit itself, even on WASM. */
export const LIGHT_EDIT_FLOPS = 2e9;
/** Above this a low-end device takes tens of seconds where the server takes one or two. */
export const HEAVY_EDIT_FLOPS = 100e9;

/** Bytes this browser tab can spend on one edit. */
export function memoryBudgetBytes(device: LocalDeviceInfo): number {
  return (device.deviceMemoryGb ?? ASSUMED_DEVICE_MEMORY_GB) * 1024 * MiB * MEMORY_BUDGET_FRACTION;
}

/** Low-end: at most 4 GB or 4 cores (phones, budget laptops); unknown counts as not low-end. */
function deviceClass(device: LocalDeviceInfo): 'low-end' | 'capable' {
  const lowMemory = device.deviceMemoryGb !== null && device.deviceMemoryGb <= 4;
  const fewCores = device.hardwareConcurrency !== null && device.hardwareConcurrency <= 4;
  return lowMemory || fewCores ? 'low-end' : 'capable';
}

function serverProblem(server: ServerAvailability | null): ReasonContext['server'] | null {
  if (!server) return 'unreachable';
  if (!server.ready) return 'not ready';
  return server.queueDepth >= server.capacity ? 'at capacity' : null;
}

/** WebGPU only on a hardware adapter: SwiftShader runs ~150x slower than WASM. */
function bestBrowserEp(device: LocalDeviceInfo, wanted?: BrowserEp): BrowserEp {
  if (wanted === 'wasm' || !device.webgpu) return 'wasm';
  if (wanted === 'webgpu') return 'webgpu';
  return isSoftwareAdapter(device.webgpu) ? 'wasm' : 'webgpu';
}

/**
 * Where an edit runs and why: the user's forced mode when it is possible, otherwise the
 * device against the edit's cost and the server's state. Pure: callers probe and fetch.
 *
 * @example decidePlacement({ mode: 'auto', device: swiftshaderLaptop, steps, image, models, server })
 *   // { where: 'server', reasonCode: 'software-webgpu',
 *   //   reason: 'Server: this device has no hardware WebGPU (google swiftshader is software)', ... }
 */
export function decidePlacement(input: PlacementInput): PlacementDecision {
  const { device, mode } = input;
  const work = estimateWork(input.steps, input.image, input.models);
  const budget = memoryBudgetBytes(device);
  const need = work.modelBytes * MODEL_COPIES + work.peakStepBytes;
  const problem = serverProblem(input.server);
  const context: ReasonContext = {
    adapter: device.webgpu ? adapterName(device.webgpu) : 'none',
    needMb: Math.ceil(need / MiB),
    budgetMb: Math.floor(budget / MiB),
    gflop: Math.round(work.flops / 1e9),
    deviceClass: deviceClass(device),
    server: problem ?? 'unreachable',
  };
  const decide = (
    where: Placement,
    reasonCode: PlacementReasonCode,
    extra: { ep?: BrowserEp; error?: ErrorCode } = {},
  ) => ({
    where,
    ...extra,
    reasonCode,
    reason: PLACEMENT_REASONS[reasonCode](context),
    work,
  });
  const browser = (reasonCode: PlacementReasonCode) =>
    decide('browser', reasonCode, { ep: bestBrowserEp(device, input.browserEp) });
  const fits = need <= budget;

  if (mode === 'server') {
    return problem
      ? decide('server', 'forced-server-unavailable', { error: SERVER_UNAVAILABLE_ERRORS[problem] })
      : decide('server', 'forced-server');
  }
  if (mode === 'browser') {
    if (!fits) return browser('forced-browser-over-budget');
    return browser(
      bestBrowserEp(device, input.browserEp) === 'webgpu'
        ? 'forced-browser'
        : 'forced-browser-wasm',
    );
  }
  if (!fits)
    return problem ? browser('server-unavailable-over-budget') : decide('server', 'over-budget');
  if (problem) return browser('server-unavailable');
  if (work.flops < LIGHT_EDIT_FLOPS) return browser('light-edit');
  if (!device.webgpu) return decide('server', 'no-webgpu');
  if (isSoftwareAdapter(device.webgpu)) return decide('server', 'software-webgpu');
  if (work.flops > HEAVY_EDIT_FLOPS && deviceClass(device) === 'low-end')
    return decide('server', 'heavy-for-device');
  return browser('hardware-webgpu');
}
