import type { GpuAdapterInfo, LocalDeviceInfo } from '@loupe/shared';
import type { GpuAdapterLike, NavigatorLike } from './gpu-types';

/** Reads what routing and tiling need from an adapter, in the shared schema's shape. */
export function adapterInfo(adapter: GpuAdapterLike): GpuAdapterInfo {
  const info = adapter.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
    shaderF16: adapter.features.has('shader-f16'),
    limits: {
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    },
  };
}

/**
 * Probes this thread's WebGPU adapter, memory and cores. Runs in the worker, where
 * onnxruntime will ask for the same adapter, so what we report is what will run.
 */
export async function probeDevice(
  nav: NavigatorLike,
  crossOriginIsolated: boolean,
): Promise<LocalDeviceInfo> {
  const base = {
    deviceMemoryGb: nav.deviceMemory && nav.deviceMemory > 0 ? nav.deviceMemory : null,
    hardwareConcurrency:
      nav.hardwareConcurrency && nav.hardwareConcurrency > 0 ? nav.hardwareConcurrency : null,
    crossOriginIsolated,
  };
  if (!nav.gpu)
    return {
      ...base,
      webgpu: null,
      webgpuUnavailableReason: 'this browser has no WebGPU (navigator.gpu is undefined)',
    };
  try {
    const adapter = await nav.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter)
      return {
        ...base,
        webgpu: null,
        webgpuUnavailableReason: 'WebGPU returned no adapter (blocklisted or disabled GPU)',
      };
    return { ...base, webgpu: adapterInfo(adapter) };
  } catch (e) {
    return {
      ...base,
      webgpu: null,
      webgpuUnavailableReason: `requestAdapter failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
