import type { ExecutionProvider } from '../api/execution';
import type { Residency } from '../api/models';
import { MODELS, type ModelFamily } from '../models/model-specs';
import { isModelId } from '../models/model-ids';
import type { BrowserEp } from '../protocol/worker-messages';
import { deviceClass, isSoftwareAdapter, type LocalDeviceInfo } from './local-device';

// What the time model assumes until a side has measured itself. Every number is replaced by a
// measurement as soon as one exists (rates.ts); these only have to rank sides sensibly on a
// first visit. Sources are noted; where there is none the number is a deliberate guess.

/**
 * FLOPs are not equally fast: ESRGAN's wide convolutions keep the units busy, while Anime4K's
 * thin layers and the filters' few FLOPs per pixel are bound by moving pixels. docs/benchmarks.md:
 * on WASM (2 threads) ESRGAN slim ×2 ran at ~39 GFLOP/s and Anime4K 2× S at ~5 (36 MP × 1.9 kFLOP
 * in ~15 s), hence 0.13. MAXIM: bench/maxim ran deblurring at 40 GFLOP/s on one EPYC thread, about
 * half ESRGAN's rate there (its einsums are thin matmuls and its layer norms move pixels), hence
 * 0.4. ISNet's and the filters' factors are guesses.
 */
export const FAMILY_EFFICIENCY = {
  esrgan: 1,
  isnet: 0.5,
  anime4k: 0.13,
  filter: 0.02,
  maxim: 0.4,
  kernel: 0.02,
} as const satisfies Record<ModelFamily | 'kernel', number>;

/** How fast a rate key runs relative to ESRGAN on the same device (see `FAMILY_EFFICIENCY`). */
export function keyEfficiency(key: string): number {
  const family = isModelId(key) ? MODELS[key].family : 'kernel';
  return FAMILY_EFFICIENCY[family];
}

/**
 * WASM threads per core: benchmarks measured ~20 GFLOP/s per thread on a server core; laptops
 * and phones do less. ORT uses up to 4 threads, and one without cross-origin isolation.
 */
const WASM_FLOPS_PER_THREAD = { capable: 10e9, 'low-end': 4e9 } as const;
/** Guesses: an integrated laptop GPU / a phone GPU through ORT's WebGPU EP. */
const WEBGPU_FLOPS = { capable: 250e9, 'low-end': 50e9 } as const;
/** SwiftShader and friends: ~150× slower than WASM (DEVELOPERS.md). */
const SOFTWARE_WEBGPU_SLOWDOWN = 150;

/** Threads onnxruntime-web's WASM EP gets here (the worker's `configureOrt` does the same). */
export function wasmThreads(device: LocalDeviceInfo): number {
  if (!device.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, device.hardwareConcurrency ?? 4));
}

/** ESRGAN-class FLOP/s of this device on `ep` before any run is measured. */
export function browserPriorFlops(device: LocalDeviceInfo, ep: BrowserEp): number {
  const cls = deviceClass(device);
  const wasm = wasmThreads(device) * WASM_FLOPS_PER_THREAD[cls];
  if (ep === 'wasm') return wasm;
  if (!device.webgpu || isSoftwareAdapter(device.webgpu)) return wasm / SOFTWARE_WEBGPU_SLOWDOWN;
  return WEBGPU_FLOPS[cls];
}

/**
 * ESRGAN-class FLOP/s of a server on `ep` before it reports any: a 2-core EPYC ran esrgan-medium
 * at 80–150 GFLOP/s on CPU (docs/benchmarks.md); the GPU numbers are guesses for a datacentre card.
 */
export const SERVER_PRIOR_FLOPS = {
  cuda: 2e12,
  webgpu: 300e9,
  cpu: 80e9,
  wasm: 20e9,
} as const satisfies Record<ExecutionProvider, number>;

/** Seconds to make a session from model bytes already in memory. */
export function browserSessionSeconds(ep: BrowserEp, bytes: number): number {
  // WebGPU compiles a pipeline per kernel shape on top of reading the weights.
  return ep === 'webgpu' ? 0.3 + bytes / 15e6 : 0.05 + bytes / 40e6;
}

/** Seconds before a server model can run, by where it is now (GET /api/gpu/status). */
export function serverLoadSeconds(residency: Residency | undefined, bytes: number): number {
  if (residency === 'device') return 0;
  if (residency === 'ram') return 0.05 + bytes / 400e6;
  return 0.2 + bytes / 100e6;
}

export const LINK_PRIORS = {
  /** Bytes/s: a typical home upload (12 Mbit/s) and download (40 Mbit/s). */
  uplink: 1.5e6,
  downlink: 5e6,
  /** Pixels/s: lib/png.ts did ~11 MP/s on a 3 MP picture here; photos deflate slower. */
  pngEncode: 8e6,
  /** Pixels/s of createImageBitmap + getImageData on a result (guess). */
  resultDecode: 40e6,
  /** A photo as PNG: RGB with the Sub filter deflates to roughly two thirds of 3 bytes a pixel. */
  pngBytesPerPixel: 2,
} as const;

/** Fixed seconds per run: a worker call; a server job's three requests, event stream and child IPC. */
export const RUN_OVERHEAD_SECONDS = { browser: 0.05, server: 0.3 } as const;

/** Seconds a queued job waits per job ahead when the server does not say (its own seed). */
export const QUEUED_JOB_SECONDS = 5;
