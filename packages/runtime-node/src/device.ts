// Which device this process computes on. A server child owns exactly one (child i uses CUDA
// device i, so LOUPE_WORKERS = number of GPUs); process-wide state fits because it is per process.

let deviceIndex = 0;

export function useDevice(index: number): void {
  deviceIndex = index;
}

/** The CUDA `deviceId` sessions in this process are created on. */
export function currentDevice(): number {
  return deviceIndex;
}

/**
 * How /api/gpu/status names the CUDA device a child uses. CUDA numbers devices within
 * CUDA_VISIBLE_DEVICES, so with `CUDA_VISIBLE_DEVICES=2,3` the child on device 1 runs on GPU 3.
 *
 * @example cudaDeviceLabel(1, { CUDA_VISIBLE_DEVICES: '2,3' }) // 'CUDA device 1 (CUDA_VISIBLE_DEVICES=2,3: GPU 3)'
 */
export function cudaDeviceLabel(
  index: number = deviceIndex,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const visible = env.CUDA_VISIBLE_DEVICES?.trim();
  if (!visible) return `CUDA device ${index}`;
  const physical = visible.split(',')[index]?.trim();
  return `CUDA device ${index} (CUDA_VISIBLE_DEVICES=${visible}: ${physical ? `GPU ${physical}` : 'not listed'})`;
}
