import {
  LoupeError,
  OPS,
  type DownloadProgress,
  type EditMetadata,
  type PlacementDecision,
  type Progress,
  type RgbaImage,
  type Step,
} from '@loupe/shared';
import type { HistoryEntry } from '../../stores/editor-store';
import { browserInference } from './browser-inference';
import { runOnServer } from './server-run';
import { formatBytes } from '../../lib/format';

export interface RunHooks {
  signal: AbortSignal;
  onStep(index: number, count: number, step: Step): void;
  onStage(stage: string): void;
  onProgress(progress: Progress): void;
}

/**
 * Applies steps one after another where the placement decided, returning one history
 * entry per step (so every intermediate picture can be undone to). Nothing is committed
 * until all steps finish: a cancel or failure leaves the history as it was.
 */
export async function runSteps(
  decision: PlacementDecision,
  base: RgbaImage,
  steps: readonly Step[],
  hooks: RunHooks,
): Promise<Omit<HistoryEntry, 'id'>[]> {
  const entries: Omit<HistoryEntry, 'id'>[] = [];
  let image = base;
  for (const [i, step] of steps.entries()) {
    if (hooks.signal.aborted) throw new LoupeError('CANCELLED');
    hooks.onStep(i, steps.length, step);
    const result =
      decision.where === 'server'
        ? await runOnServer(image, [step], hooks)
        : await runInBrowser(decision, image, step, hooks);
    entries.push({ step, image: result.image, metadata: result.metadata });
    image = result.image;
  }
  return entries;
}

async function runInBrowser(
  decision: PlacementDecision,
  image: RgbaImage,
  step: Step,
  hooks: RunHooks,
): Promise<{ image: RgbaImage; metadata: EditMetadata }> {
  const client = await browserInference();
  if (!client)
    throw new LoupeError(
      'WEBGPU_UNAVAILABLE',
      'In-browser inference is not available in this build.',
    );
  hooks.onStage(`Preparing ${OPS[step.op].title.toLowerCase()}`);
  // The client transfers the buffer to its worker; history must keep its own copy.
  const input = { ...image, data: image.data.slice() };
  const run = client.run(input, [step], {
    ...(decision.ep ? { ep: decision.ep } : {}),
    signal: hooks.signal,
    onProgress: hooks.onProgress,
    onDownload: (d: DownloadProgress) =>
      hooks.onStage(
        d.fromCache
          ? `Loading ${d.model} from cache`
          : `Downloading ${d.model}: ${formatBytes(d.loaded)} of ${formatBytes(d.total)}`,
      ),
  });
  return stopForGoodOnAbort(run, hooks.signal, () => client.dispose());
}

/**
 * The client answers Cancel at once but its worker only stops at the next tile boundary, and
 * one tile of a large model on WASM can take tens of seconds, holding up every later run (seen
 * in scripts/smoke.mjs: a cancelled ESRGAN-thick ×4 blocked a grayscale for minutes). Cancel
 * must really stop the work, so the worker is terminated; the next run starts a fresh one
 * (about a second) and reads the models from Cache Storage.
 */
function stopForGoodOnAbort<T>(run: Promise<T>, signal: AbortSignal, kill: () => void): Promise<T> {
  signal.addEventListener('abort', kill, { once: true });
  return run.finally(() => signal.removeEventListener('abort', kill));
}
