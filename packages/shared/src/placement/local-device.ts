import { z } from 'zod';

/**
 * The WebGPU adapter as the browser reports it. `isFallbackAdapter` or a SwiftShader /
 * llvmpipe architecture means a software rasteriser: correct, ~150x slower than WASM.
 */
export const GpuAdapterInfoSchema = z.object({
  vendor: z.string(),
  architecture: z.string(),
  device: z.string(),
  description: z.string(),
  isFallbackAdapter: z.boolean(),
  /** `shader-f16`: fp16 model variants are chosen only when present. */
  shaderF16: z.boolean(),
  limits: z.object({
    maxBufferSize: z.number().nonnegative(),
    maxStorageBufferBindingSize: z.number().nonnegative(),
  }),
});
export type GpuAdapterInfo = z.infer<typeof GpuAdapterInfoSchema>;

/**
 * What the browser can offer an edit, probed once in the inference worker.
 *
 * @example
 * { webgpu: null, webgpuUnavailableReason: 'navigator.gpu is undefined',
 *   deviceMemoryGb: 8, hardwareConcurrency: 8, crossOriginIsolated: true }
 */
export const LocalDeviceInfoSchema = z.object({
  webgpu: GpuAdapterInfoSchema.nullable(),
  /** Why `webgpu` is null (no `navigator.gpu`, no adapter, device request failed). */
  webgpuUnavailableReason: z.string().optional(),
  /** `navigator.deviceMemory` (Chromium only, rounded and capped); null where absent. */
  deviceMemoryGb: z.number().positive().nullable(),
  hardwareConcurrency: z.number().int().positive().nullable(),
  /** WASM threads need SharedArrayBuffer, which needs COOP/COEP. */
  crossOriginIsolated: z.boolean(),
});
export type LocalDeviceInfo = z.infer<typeof LocalDeviceInfoSchema>;

const SOFTWARE_ADAPTERS = /swiftshader|llvmpipe|lavapipe|softpipe|\bwarp\b|basic render/i;

/** True when the adapter renders on the CPU: a "weak" device for routing, whatever its limits. */
export function isSoftwareAdapter(gpu: GpuAdapterInfo): boolean {
  return (
    gpu.isFallbackAdapter ||
    SOFTWARE_ADAPTERS.test(`${gpu.vendor} ${gpu.architecture} ${gpu.device} ${gpu.description}`)
  );
}

/** Vendor and architecture, e.g. "google swiftshader"; "unknown adapter" when the browser hides both. */
export function adapterName(gpu: GpuAdapterInfo): string {
  return (
    [gpu.vendor, gpu.architecture || gpu.device || gpu.description].filter(Boolean).join(' ') ||
    'unknown adapter'
  );
}

/** Adapter for UI and metadata, e.g. "google swiftshader (software)". */
export function describeAdapter(gpu: GpuAdapterInfo): string {
  return isSoftwareAdapter(gpu) ? `${adapterName(gpu)} (software)` : adapterName(gpu);
}

export type DeviceClass = 'low-end' | 'capable';

/** Low-end: at most 4 GB or 4 cores (phones, budget laptops); unknown counts as not low-end. */
export function deviceClass(device: LocalDeviceInfo): DeviceClass {
  const lowMemory = device.deviceMemoryGb !== null && device.deviceMemoryGb <= 4;
  const fewCores = device.hardwareConcurrency !== null && device.hardwareConcurrency <= 4;
  return lowMemory || fewCores ? 'low-end' : 'capable';
}
