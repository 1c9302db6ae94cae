import { describe, expect, it } from 'vitest';
import { ModelResidency, probeEp, readManifest } from '@loupe/runtime-node';
import { parsePipeline } from '@loupe/shared';
import { loadConfig } from '../src/config';
import { runPipeline } from '../src/inference/run-pipeline';

const modelsDir = loadConfig({}).LOUPE_MODELS_DIR;

describe('EP failure during a job', () => {
  it('reruns the pipeline on CPU, records the fallback, and reports the device lost when its probe fails too', async (ctx) => {
    // Without a WebGPU adapter a child told to use WebGPU fails for real at session creation.
    const webgpu = await probeEp('webgpu');
    ctx.skip(webgpu.ok, 'a real WebGPU adapter passes its probe: no EP failure to fall back from');
    const manifest = await readManifest(modelsDir);
    const residency = new ModelResidency(manifest, modelsDir, 'webgpu');
    const steps = parsePipeline([{ op: 'invert' }]);
    if (!steps.ok) throw new Error('steps');
    const lost: string[] = [];
    const image = { width: 2, height: 1, data: Uint8Array.of(0, 10, 20, 255, 200, 100, 50, 128) };
    const outcome = await runPipeline({
      image,
      steps: steps.value,
      residency,
      manifest,
      modelsDir,
      signal: new AbortController().signal,
      onProgress: () => {},
      onDeviceLost: (reason) => lost.push(reason),
    });
    expect(outcome.ep).toBe('cpu');
    expect(outcome.fallback?.from).toBe('webgpu');
    expect(outcome.fallback?.reason).toMatch(/filter-color-matrix on webgpu/);
    expect([...outcome.image.data]).toEqual([255, 245, 235, 255, 55, 155, 205, 128]);
    expect(lost).toHaveLength(1);
    // Later jobs in this child go to CPU until a probe on the device passes again.
    expect(residency.executionProvider).toBe('cpu');
  });
});
