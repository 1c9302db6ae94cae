// The only module in the tree that imports onnxruntime-node (lint-enforced): sessions, tensors
// and execution-provider plumbing live here, and everything else speaks TensorData.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import { isTypedTensorType, type TensorData, type TypedTensor } from '@loupe/shared';
import { currentDevice } from './device';
import { DEFAULT_SETTINGS, type OrtSettings } from './settings';

/** Execution providers Loupe can ask onnxruntime-node for. */
export type OrtEp = 'cuda' | 'webgpu' | 'cpu';

/** An open session and the EP it was created on; opaque outside this package. */
export type OrtSession = { readonly ep: OrtEp; readonly handle: ort.InferenceSession };

export interface SessionOptions {
  /** Default `cpu`. */
  readonly ep?: OrtEp;
  /** Default `DEFAULT_SETTINGS` (the server's). */
  readonly settings?: OrtSettings;
  /** CUDA only; default: the device this process uses (`useDevice`). */
  readonly deviceId?: number;
}

export const onnxruntimeVersion: string = ort.env.versions.node ?? ort.env.versions.common;

/**
 * Where onnxruntime-node's binding loads provider libraries from. The CUDA EP is not bundled
 * (too large for npm); apps/server/scripts/install-cuda-ep.sh places it here. Resolved from this
 * module, so in the server's bundle it is apps/server's onnxruntime-node: the same store folder.
 */
export function ortBinaryDir(): string {
  const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  return join(dirname(pkg), 'bin', 'napi-v6', `${process.platform}`, `${process.arch}`);
}

export function cudaProviderInstalled(): boolean {
  return existsSync(join(ortBinaryDir(), 'libonnxruntime_providers_cuda.so'));
}

function sessionOptions(options: SessionOptions): ort.InferenceSession.SessionOptions {
  const { ep = 'cpu', settings = DEFAULT_SETTINGS, deviceId = currentDevice() } = options;
  return {
    executionProviders: [ep === 'cuda' ? { name: 'cuda', deviceId } : ep],
    graphOptimizationLevel: settings.graphOptimizationLevel,
    executionMode: settings.executionMode,
    // Errors, not warnings: the per-node "not assigned to the preferred EP" notes flood the logs.
    logSeverityLevel: 3,
    ...(ep === 'cpu' && settings.memoryPattern !== undefined
      ? { enableMemPattern: settings.memoryPattern }
      : {}),
    ...(settings.intraOpNumThreads > 0 ? { intraOpNumThreads: settings.intraOpNumThreads } : {}),
    ...(settings.allowSpinning === false
      ? { extra: { session: { intra_op: { allow_spinning: '0' } } } }
      : {}),
  };
}

/**
 * Opens a session on a model file (onnxruntime reads it) or on bytes already in memory.
 *
 * @example const session = await createSession(bytes, { ep: 'webgpu' });
 */
export async function createSession(
  model: string | Uint8Array,
  options: SessionOptions = {},
): Promise<OrtSession> {
  const ortOptions = sessionOptions(options);
  const handle =
    typeof model === 'string'
      ? await ort.InferenceSession.create(model, ortOptions)
      : await ort.InferenceSession.create(model, ortOptions);
  return { ep: options.ep ?? 'cpu', handle };
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

/** Runs a session on tensors of any `TypedTensor` type (shared's); outputs of other types are an error. */
export async function runTypedSession(
  session: OrtSession,
  feeds: Readonly<Record<string, TypedTensor>>,
): Promise<Record<string, TypedTensor>> {
  const inputs: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds))
    inputs[name] = new ort.Tensor(t.type, t.data, [...t.dims]);
  const outputs = await session.handle.run(inputs);
  const result: Record<string, TypedTensor> = {};
  for (const [name, t] of Object.entries(outputs)) {
    if (!isTypedTensorType(t.type)) throw new Error(`output ${name} is ${t.type}`);
    result[name] = { type: t.type, data: t.data, dims: t.dims } as TypedTensor;
  }
  return result;
}

/** One input or output as onnxruntime reports it: symbolic dims are their names. */
export interface SessionPort {
  readonly name: string;
  readonly type: string;
  readonly dims: readonly (number | string)[];
}

/** The session's inputs and outputs with types and shapes (onnxruntime ≥ 1.21 reports them). */
export function sessionPorts(session: OrtSession): {
  inputs: SessionPort[];
  outputs: SessionPort[];
} {
  const port = (m: ort.InferenceSession.ValueMetadata): SessionPort =>
    m.isTensor
      ? { name: m.name, type: m.type, dims: [...m.shape] }
      : { name: m.name, type: 'non-tensor', dims: [] };
  return {
    inputs: session.handle.inputMetadata.map(port),
    outputs: session.handle.outputMetadata.map(port),
  };
}

/** Releasing a session is the only way onnxruntime gives its memory (host or device) back. */
export async function releaseSession(session: OrtSession): Promise<void> {
  await session.handle.release();
}
