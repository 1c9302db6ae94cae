// The one run path of the shared engine on onnxruntime-node: the server's inference children and
// the CLI's in-process mode both call runPipeline, so both give the same pixels.
import {
  executePipeline,
  runWithFallback,
  tileSizeForEp,
  type JobOutcome,
  type Mask,
  type ModelManifest,
  type Progress,
  type RgbaImage,
  type DiffusionAssetsSource,
  type Step,
} from '@loupe/shared';
import { DiffusionSessions } from './diffusion-sessions';
import { probeEp } from './ep-select';
import { createInpainter } from './inpainter';
import type { OrtEp } from './ort';
import { ModelResidency } from './residency';
import { SessionRunner } from './session-runner';

export interface PipelineRun {
  /** Absent for a pipeline whose first step takes no image (generate). */
  image: RgbaImage | undefined;
  steps: Step[];
  /** For ops that take a mask (inpaint, erase); the input's size. */
  mask?: Mask;
  residency: ModelResidency;
  manifest: ModelManifest;
  modelsDir: string;
  /** The caller's diffusion part sessions, and the folders' assets (generative ops only). */
  diffusion?: {
    sessions: DiffusionSessions;
    assets: DiffusionAssetsSource;
    paths: (id: string) => string | undefined;
  };
  signal: AbortSignal;
  onProgress(progress: Progress): void;
  /** A denoising preview after `step` of `total` (generative ops). */
  onPreview?(step: number, total: number, image: RgbaImage): void;
  /** The EP failed and its probe failed too: the device is gone until a probe passes again. */
  onDeviceLost(reason: string): void;
}

export type PipelineOutcome = Pick<
  JobOutcome,
  'models' | 'tiles' | 'inferMs' | 'ep' | 'fallback' | 'generation'
> & {
  image: RgbaImage;
};

/** OpenCV's WASM for erase: one per process, loaded by its first erase. */
const inpainter = createInpainter();

async function execute(run: PipelineRun, runner: SessionRunner, ep: OrtEp) {
  const start = performance.now();
  const { image, tiles, models, generation } = await executePipeline(run.image ?? null, run.steps, {
    runner,
    tileSize: tileSizeForEp(ep),
    signal: run.signal,
    onProgress: run.onProgress,
    ...(run.diffusion ? { diffusionAssets: run.diffusion.assets } : {}),
    ...(run.onPreview ? { onPreview: run.onPreview } : {}),
    inpainter,
    ...(run.mask ? { mask: run.mask } : {}),
  });
  return {
    image,
    tiles,
    models,
    inferMs: performance.now() - start,
    ...(generation ? { generation } : {}),
  };
}

/** The rerun gets sessions of its own, released after it: the caller's residency stays on its EP. */
async function executeOnThrowawayCpu(run: PipelineRun) {
  const cpu = new ModelResidency(run.manifest, run.modelsDir, 'cpu');
  const parts = run.diffusion
    ? new DiffusionSessions(run.diffusion.paths, { ep: 'cpu' })
    : undefined;
  try {
    return await execute(run, new SessionRunner(cpu, parts), 'cpu');
  } finally {
    await cpu.apply('release');
    await parts?.close();
  }
}

/**
 * Runs the shared engine on the residency's EP. An EP failure (not a bad request) reruns the
 * whole pipeline on CPU with throwaway sessions and records the fallback in the metadata;
 * if the EP's own probe fails too, the device is reported lost so /ready turns false.
 */
export async function runPipeline(run: PipelineRun): Promise<PipelineOutcome> {
  const ep = run.residency.executionProvider;
  const primary = new SessionRunner(run.residency, run.diffusion?.sessions);
  const { result, ...where } = await runWithFallback({
    plan: ep === 'cpu' ? { ep } : { ep, fallbackEp: 'cpu' },
    attempt: (on) => (on === ep ? execute(run, primary, ep) : executeOnThrowawayCpu(run)),
    // The engine wraps runner errors; the runner keeps the EP's own failure and its message.
    epFailure: () => primary.epFailure?.message,
    onEpFailure: async (reason) => {
      const probe = await probeEp(ep);
      if (probe.ok) return;
      run.onDeviceLost(`${reason}; probe on ${ep} failed: ${probe.message}`);
      await run.residency.switchEp('cpu');
    },
    signal: run.signal,
  });
  return { ...result, ...where };
}
