import type { LocalDeviceInfo } from '@loupe/shared';
import { createBrowserInference, type BrowserInference } from '../../inference/client';

export type { BrowserInference };

let instance: BrowserInference | undefined;

/**
 * The one inference client of this tab. The worker (and onnxruntime-web, megabytes of it)
 * starts only on the first call, so the first paint does not wait for it.
 */
export async function browserInference(): Promise<BrowserInference | null> {
  instance ??= createBrowserInference();
  return instance;
}

/** What routing assumes when there is no inference client at all: WASM-less, WebGPU-less. */
export const NO_BROWSER_DEVICE: LocalDeviceInfo = {
  webgpu: null,
  webgpuUnavailableReason: 'in-browser inference is not available in this build',
  deviceMemoryGb: null,
  hardwareConcurrency: null,
  crossOriginIsolated: false,
};
