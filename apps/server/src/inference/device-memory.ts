import { execFile } from 'node:child_process';
import type { ExecutionProvider } from '@loupe/shared';

export interface DeviceMemory {
  totalBytes: number;
  usedBytes: number;
}

const MIB = 1024 * 1024;
const cache = new Map<string, { at: number; value: DeviceMemory | null }>();

/**
 * What to pass nvidia-smi's `-i` for the child on CUDA device `index`. nvidia-smi ignores
 * CUDA_VISIBLE_DEVICES, so a child's device is looked up in it; its entries are indexes or
 * GPU UUIDs, and `-i` takes both. Both tools count in PCI bus order only when
 * CUDA_DEVICE_ORDER=PCI_BUS_ID (CUDA's default puts the fastest GPU first).
 *
 * @example nvidiaSmiTarget(1, { CUDA_VISIBLE_DEVICES: '2,3' }) // '3'
 */
export function nvidiaSmiTarget(
  index: number,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const visible = env.CUDA_VISIBLE_DEVICES?.trim();
  if (!visible) return String(index);
  return visible.split(',')[index]?.trim() || undefined;
}

/**
 * One GPU's memory from `nvidia-smi --query-gpu=memory.total,memory.used
 * --format=csv,noheader,nounits` (MiB), or null when the text is anything else: an error,
 * `[N/A]`, or several GPUs.
 *
 * @example parseNvidiaSmiMemory('143771, 1\n') // { totalBytes: 143771 MiB, usedBytes: 1 MiB }
 */
export function parseNvidiaSmiMemory(stdout: string): DeviceMemory | null {
  const lines = stdout.trim().split('\n');
  if (lines.length !== 1) return null;
  const fields = lines[0]!.split(',').map((s) => s.trim());
  if (fields.length !== 2 || !fields.every((f) => /^\d+(\.\d+)?$/.test(f))) return null;
  const [total, used] = fields.map((f) => Number(f) * MIB) as [number, number];
  return { totalBytes: total, usedBytes: used };
}

/**
 * Memory of the CUDA device `index` a child computes on, when it can be read: onnxruntime
 * exposes none, so we ask nvidia-smi (cached for 2 s per device; a status poll must not fork a
 * process per request). WebGPU and CPU: null. `env` is the child's (CUDA_VISIBLE_DEVICES, PATH).
 */
export async function readDeviceMemory(
  ep: ExecutionProvider,
  index: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DeviceMemory | null> {
  const target = ep === 'cuda' ? nvidiaSmiTarget(index, env) : undefined;
  if (target === undefined) return null;
  const cached = cache.get(target);
  if (cached && Date.now() - cached.at < 2000) return cached.value;
  const value = await new Promise<DeviceMemory | null>((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=memory.total,memory.used', '--format=csv,noheader,nounits', '-i', target],
      { timeout: 2000, env },
      (err, stdout) => resolve(err ? null : parseNvidiaSmiMemory(stdout)),
    );
  });
  cache.set(target, { at: Date.now(), value });
  return value;
}
