import { ERROR_CODES, isLoupeError, type Step } from '@loupe/shared';
import type { RunContext, RunService } from '../../services/run-service';
import { runs } from '../../services/runs';
import { loadImageFile } from '../upload/load-file';
import { serverUploadLimits } from '../upload/upload-limits';
import { batchStore } from './batch-store';

/**
 * Runs the open picture's steps on every other waiting file, one at a time (the GPU, ours
 * or the server's, is the bottleneck; parallel jobs would only queue). Each file is placed
 * for its own size, through the same run service as the editor. Stops on abort.
 */
export async function runBatch(
  context: RunContext,
  steps: readonly Step[],
  signal: AbortSignal,
  service: RunService = runs,
): Promise<void> {
  const { items, openId } = batchStore.getState();
  // Asked once for the whole batch, not once per file.
  const limits = await serverUploadLimits(signal).catch(() => undefined);
  for (const item of items) {
    if (signal.aborted) return;
    if (item.id === openId || item.status === 'done') continue;
    const { update } = batchStore.getState();
    update(item.id, { status: 'running' });
    try {
      const { image, upload } = await loadImageFile(item.file, limits);
      const result = await service.run(
        context,
        // Each file starts from itself: the server is sent the file, not a re-encode.
        { image, steps, ...(upload ? { original: upload } : {}) },
        {
          signal,
          onPlaced: ({ where, reason }) =>
            update(item.id, {
              size: { width: image.width, height: image.height },
              placement: { where, reason },
            }),
        },
      );
      update(item.id, { status: 'done', result: result.image });
    } catch (e) {
      const message = isLoupeError(e)
        ? `${ERROR_CODES[e.code].title}: ${e.message}`
        : (e as Error).message;
      update(item.id, { status: signal.aborted ? 'waiting' : 'failed', error: message });
    }
  }
}
