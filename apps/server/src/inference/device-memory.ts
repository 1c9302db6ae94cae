import { execFile } from 'node:child_process';
import type { ExecutionProvider } from '@loupe/shared';

export interface DeviceMemory {
  totalBytes: number;
  usedBytes: number;
}

let cached: { at: number; value: DeviceMemory | null } | undefined;

/**
 * Device memory when it can be read: onnxruntime exposes none, so for CUDA we ask nvidia-smi
 * (cached for 2 s; a status poll must not fork a process per request). WebGPU and CPU: null.
 */
export async function readDeviceMemory(ep: ExecutionProvider): Promise<DeviceMemory | null> {
  if (ep !== 'cuda') return null;
  if (cached && Date.now() - cached.at < 2000) return cached.value;
  const value = await new Promise<DeviceMemory | null>((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=memory.total,memory.used', '--format=csv,noheader,nounits', '-i', '0'],
      { timeout: 2000 },
      (err, stdout) => {
        const [total, used] = err
          ? []
          : stdout
              .trim()
              .split(',')
              .map((s) => Number(s.trim()) * 1024 * 1024);
        resolve(
          total !== undefined &&
            used !== undefined &&
            Number.isFinite(total) &&
            Number.isFinite(used)
            ? { totalBytes: total, usedBytes: used }
            : null,
        );
      },
    );
  });
  cached = { at: Date.now(), value };
  return value;
}
