import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EpChoice, ServerEpPreference } from '@loupe/shared';
import { cudaDeviceLabel } from './device';
import {
  createSession,
  cudaProviderInstalled,
  releaseSession,
  runSession,
  type OrtEp,
} from './ort';
import { buildProbeModel, probeError, probeInput } from './probe-model';

/** A probe output further than this from the reference means the EP computes wrong answers. */
const PROBE_TOLERANCE = 1e-3;

/**
 * Runs the known-good probe graph on one EP: session creation, one inference, and a check of
 * the numbers. Used to pick an EP at start and to clear a device error before /ready is true.
 */
export async function probeEp(
  ep: OrtEp,
  size = 32,
): Promise<{ ok: true; ms: number } | { ok: false; message: string }> {
  try {
    const session = await createSession(buildProbeModel(), { ep });
    try {
      const input = probeInput(size);
      const start = performance.now();
      const output = await runSession(session, { x: input });
      const ms = performance.now() - start;
      const error = probeError(input, output.y!);
      if (!(error <= PROBE_TOLERANCE))
        return { ok: false, message: `probe output off by ${error}` };
      return { ok: true, ms };
    } finally {
      await releaseSession(session);
    }
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

const SOFTWARE_VULKAN = /swiftshader|lvp|lavapipe|llvmpipe|mock_icd/i;

/**
 * Which Vulkan drivers Dawn will see. onnxruntime-node exposes no adapter info, so the ICD
 * manifests are the only way to tell a GPU from SwiftShader (measured ~150x slower than CPU
 * on this project's machines) before routing work to it.
 */
export function vulkanDrivers(env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = (env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES ?? '').split(':').filter(Boolean);
  const files = listed.length
    ? listed
    : ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'].flatMap(
        (dir) => (existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : []),
      );
  return files.map((file) => {
    try {
      const icd = JSON.parse(readFileSync(file, 'utf8')) as { ICD?: { library_path?: string } };
      return icd.ICD?.library_path ?? file;
    } catch {
      return file;
    }
  });
}

async function tryWebgpu(): Promise<EpChoice | string> {
  const drivers = vulkanDrivers();
  if (drivers.length === 0) return 'WebGPU: no Vulkan driver installed';
  if (drivers.every((d) => SOFTWARE_VULKAN.test(d))) {
    return `WebGPU: only a software adapter (${drivers.join(', ')}), slower than CPU`;
  }
  const probe = await probeEp('webgpu');
  if (!probe.ok) return `WebGPU probe failed: ${probe.message}`;
  return {
    ep: 'webgpu',
    reason: `WebGPU probe passed on ${drivers.join(', ')}`,
    device: `WebGPU (${drivers.join(', ')})`,
  };
}

async function tryCuda(): Promise<EpChoice | string> {
  if (!cudaProviderInstalled())
    return 'CUDA provider not installed (apps/server/scripts/install-cuda-ep.sh)';
  const probe = await probeEp('cuda');
  if (!probe.ok) return `CUDA probe failed: ${probe.message}`;
  return {
    ep: 'cuda',
    reason: 'CUDA provider installed and probe passed',
    device: cudaDeviceLabel(),
  };
}

const cpuChoice = (reason: string): EpChoice => ({
  ep: 'cpu',
  reason,
  device: `CPU (${process.arch})`,
});

/**
 * Picks the execution provider for this child. `auto` walks CUDA → WebGPU → CPU and keeps the
 * reason each one was passed over; an explicit preference that fails falls back to CPU and
 * says so rather than refusing to start.
 */
export async function chooseEp(preference: ServerEpPreference): Promise<EpChoice> {
  const tried: string[] = [];
  const attempts: Record<
    Exclude<ServerEpPreference, 'cpu'>,
    (() => Promise<EpChoice | string>)[]
  > = {
    auto: [tryCuda, tryWebgpu],
    cuda: [tryCuda],
    webgpu: [tryWebgpu],
  };
  if (preference === 'cpu') return cpuChoice('LOUPE_EP=cpu');
  for (const attempt of attempts[preference]) {
    const result = await attempt();
    if (typeof result !== 'string')
      return { ...result, reason: [...tried, result.reason].join('; ') };
    tried.push(result);
  }
  const probe = await probeEp('cpu');
  if (!probe.ok) throw new Error(`even the CPU probe failed: ${probe.message}`);
  return cpuChoice([...tried, 'using CPU'].join('; '));
}
