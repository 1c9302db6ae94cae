// The only module in apps/server that imports onnxruntime-node (lint-enforced): sessions,
// tensors and execution-provider plumbing live here, and nowhere else.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import type { TensorData } from '@loupe/shared';

/** Execution providers the server can ask onnxruntime-node for. */
export type OrtEp = 'cuda' | 'webgpu' | 'cpu';

export type OrtSession = { readonly ep: OrtEp; readonly handle: ort.InferenceSession };

export const onnxruntimeVersion: string = ort.env.versions.node ?? ort.env.versions.common;

/**
 * Where onnxruntime-node's binding loads provider libraries from. The CUDA EP is not bundled
 * (too large for npm); apps/server/scripts/install-cuda-ep.sh places it here.
 */
export function ortBinaryDir(): string {
  const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  return join(dirname(pkg), 'bin', 'napi-v6', `${process.platform}`, `${process.arch}`);
}

export function cudaProviderInstalled(): boolean {
  return existsSync(join(ortBinaryDir(), 'libonnxruntime_providers_cuda.so'));
}

/** Each child owns one device: child i uses CUDA device i (LOUPE_WORKERS = number of GPUs). */
let deviceIndex = 0;
export function useDevice(index: number): void {
  deviceIndex = index;
}
export function currentDevice(): number {
  return deviceIndex;
}

export async function createSession(model: Uint8Array, ep: OrtEp): Promise<OrtSession> {
  const handle = await ort.InferenceSession.create(model, {
    executionProviders: [ep === 'cuda' ? { name: 'cuda', deviceId: deviceIndex } : ep],
    graphOptimizationLevel: 'all',
    // Errors, not warnings: the per-node "not assigned to the preferred EP" notes flood the logs.
    logSeverityLevel: 3,
  });
  return { ep, handle };
}

export async function runSession(
  session: OrtSession,
  feeds: Readonly<Record<string, TensorData>>,
): Promise<Record<string, TensorData>> {
  const inputs: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds))
    inputs[name] = new ort.Tensor('float32', t.data, [...t.dims]);
  const outputs = await session.handle.run(inputs);
  const result: Record<string, TensorData> = {};
  for (const [name, t] of Object.entries(outputs)) {
    if (t.type !== 'float32')
      throw new Error(`output ${name} is ${t.type}; the engine exchanges float32 only`);
    result[name] = { data: t.data as Float32Array, dims: t.dims };
  }
  return result;
}

export async function releaseSession(session: OrtSession): Promise<void> {
  await session.handle.release();
}
