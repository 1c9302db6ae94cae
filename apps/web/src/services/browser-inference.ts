import type { LocalDeviceInfo } from '@loupe/shared';
import { createBrowserInference, type BrowserInference } from '../inference/client';

export type { BrowserInference };

let instance: BrowserInference | undefined;

/**
 * The one inference client of this tab. The worker (and onnxruntime-web, megabytes of it)
 * starts only on the first call, so the first paint does not wait for it; a cancelled run
 * terminates it and the next call starts a fresh one.
 */
export function browserInference(): BrowserInference {
  return (instance ??= createBrowserInference());
}

/** What routing assumes when the device probe failed: no WebGPU, nothing known. */
export const NO_BROWSER_DEVICE: LocalDeviceInfo = {
  webgpu: null,
  webgpuUnavailableReason: 'the in-browser engine could not be probed',
  deviceMemoryGb: null,
  hardwareConcurrency: null,
  crossOriginIsolated: false,
};
