import {
  executePipeline,
  tileSizeForEp,
  type ExecutionProvider,
  type ModelManifest,
  type Progress,
  type RgbaImage,
  type Step,
} from '@loupe/shared';
import { ModelResidency, SessionRunner, probeEp } from '@loupe/runtime-node';
import type { JobOutcome } from './protocol';

export interface PipelineRun {
  image: RgbaImage;
  steps: Step[];
  residency: ModelResidency;
  manifest: ModelManifest;
  modelsDir: string;
  signal: AbortSignal;
  onProgress(progress: Progress): void;
  /** The EP failed and its probe failed too: the device is gone until a probe passes again. */
  onDeviceLost(reason: string): void;
}

export type PipelineOutcome = Pick<
  JobOutcome,
  'models' | 'tiles' | 'inferMs' | 'ep' | 'fallback'
> & {
  image: RgbaImage;
};

function execute(run: PipelineRun, runner: SessionRunner, ep: ExecutionProvider) {
  return executePipeline(run.image, run.steps, {
    runner,
    tileSize: tileSizeForEp(ep),
    signal: run.signal,
    onProgress: run.onProgress,
  });
}

/**
 * Runs the shared engine on this child's EP. An EP failure (not a bad request) reruns the
 * whole pipeline on CPU with throwaway sessions and records the fallback in the metadata;
 * if the EP's own probe fails too, the device is reported lost so /ready turns false.
 */
export async function runPipeline(run: PipelineRun): Promise<PipelineOutcome> {
  const ep = run.residency.executionProvider;
  const start = performance.now();
  const primary = new SessionRunner(run.residency);
  try {
    const { image, tiles, models } = await execute(run, primary, ep);
    return { image, models, tiles, inferMs: performance.now() - start, ep };
  } catch (e) {
    const failure = primary.epFailure;
    if (!failure || run.signal.aborted) throw e;
    const probe = await probeEp(ep);
    if (!probe.ok) {
      run.onDeviceLost(`${failure.message}; probe on ${ep} failed: ${probe.message}`);
      await run.residency.switchEp('cpu');
    }
    const cpu = new ModelResidency(run.manifest, run.modelsDir, 'cpu');
    const fallback = new SessionRunner(cpu);
    const retryStart = performance.now();
    try {
      const { image, tiles, models } = await execute(run, fallback, 'cpu');
      return {
        image,
        models,
        tiles,
        inferMs: performance.now() - retryStart,
        ep: 'cpu',
        fallback: { from: ep, reason: failure.message },
      };
    } finally {
      await cpu.apply('release');
    }
  }
}
