import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cudaDeviceLabel } from '../src/device';
import { chooseEp, probeEp, vulkanDrivers } from '../src/ep-select';
import { createSession, runSession } from '../src/ort';
import { buildProbeModel, probeError, probeInput } from '../src/probe-model';

describe('execution provider selection', () => {
  it('the probe graph built in code runs on onnxruntime-node and matches the reference box filter', async () => {
    const session = await createSession(buildProbeModel(), { ep: 'cpu' });
    const input = probeInput(16);
    const out = await runSession(session, { x: input });
    expect(out.y!.dims).toEqual([1, 4, 16, 16]);
    expect(probeError(input, out.y!)).toBeLessThan(1e-3);
    // The reference is not trivially satisfied: a wrong answer is caught.
    expect(
      probeError(input, { data: new Float32Array(out.y!.data.length), dims: out.y!.dims }),
    ).toBeGreaterThan(10);
    expect(await probeEp('cpu')).toMatchObject({ ok: true });
  });

  it('reads Vulkan ICD manifests to tell a software adapter from a GPU', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'icd-'));
    const soft = join(dir, 'swiftshader.json');
    const gpu = join(dir, 'nvidia.json');
    await writeFile(soft, JSON.stringify({ ICD: { library_path: './libvk_swiftshader.so' } }));
    await writeFile(gpu, JSON.stringify({ ICD: { library_path: 'libGLX_nvidia.so.0' } }));
    expect(vulkanDrivers({ VK_ICD_FILENAMES: soft })).toEqual(['./libvk_swiftshader.so']);
    expect(vulkanDrivers({ VK_DRIVER_FILES: `${soft}:${gpu}` })).toEqual([
      './libvk_swiftshader.so',
      'libGLX_nvidia.so.0',
    ]);
  });

  it('an explicit preference that cannot be met falls back to CPU and says why', async () => {
    const choice = await chooseEp('webgpu');
    // On a machine with a real WebGPU adapter this picks it; everywhere else the reason is explicit.
    if (choice.ep === 'cpu') expect(choice.reason).toMatch(/WebGPU.*; using CPU$/);
    else expect(choice.ep).toBe('webgpu');
    const auto = await chooseEp('auto');
    expect(auto.reason).toMatch(/CUDA/);
    expect(await chooseEp('cpu')).toEqual({
      ep: 'cpu',
      reason: 'LOUPE_EP=cpu',
      device: `CPU (${process.arch})`,
    });
  });

  it('names the CUDA device each child uses, through CUDA_VISIBLE_DEVICES when it is set', () => {
    expect(cudaDeviceLabel(0, {})).toBe('CUDA device 0');
    expect(cudaDeviceLabel(2, {})).toBe('CUDA device 2');
    expect(cudaDeviceLabel(1, { CUDA_VISIBLE_DEVICES: '2,3' })).toBe(
      'CUDA device 1 (CUDA_VISIBLE_DEVICES=2,3: GPU 3)',
    );
    expect(cudaDeviceLabel(2, { CUDA_VISIBLE_DEVICES: '5' })).toBe(
      'CUDA device 2 (CUDA_VISIBLE_DEVICES=5: not listed)',
    );
  });
});
