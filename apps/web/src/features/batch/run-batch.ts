import { ERROR_CODES, isLoupeError, type PlacementDecision, type Step } from '@loupe/shared';
import { loadImageFile } from '../upload/load-file';
import { runSteps } from '../run/run-edit';
import { batchStore } from './batch-store';

/**
 * Runs the open picture's steps on every other waiting file, one at a time (the GPU, ours
 * or the server's, is the bottleneck; parallel jobs would only queue). Stops on abort.
 */
export async function runBatch(
  decision: PlacementDecision,
  steps: readonly Step[],
  signal: AbortSignal,
): Promise<void> {
  const { items, openId } = batchStore.getState();
  for (const item of items) {
    if (signal.aborted) return;
    if (item.id === openId || item.status === 'done') continue;
    const { update } = batchStore.getState();
    update(item.id, { status: 'running' });
    try {
      const source = await loadImageFile(item.file);
      const entries = await runSteps(decision, source.image, steps, {
        signal,
        onStep: () => {},
        onStage: () => {},
        onProgress: () => {},
      });
      update(item.id, { status: 'done', result: entries.at(-1)!.image });
    } catch (e) {
      const message = isLoupeError(e)
        ? `${ERROR_CODES[e.code].title}: ${e.message}`
        : (e as Error).message;
      update(item.id, { status: signal.aborted ? 'waiting' : 'failed', error: message });
    }
  }
}
