import {
  LoupeError,
  type EditMetadata,
  type Progress,
  type RgbaImage,
  type Step,
} from '@loupe/shared';
import { api } from '../../api/client';
import { decodeToRgba } from '../../lib/image-canvas';
import { encodePng } from '../../lib/png';

export interface RunCallbacks {
  signal: AbortSignal;
  onStage(stage: string): void;
  onProgress(progress: Progress): void;
}

/**
 * Runs steps as a server job: POST /api/jobs, follow its SSE events, fetch the result.
 * Aborting cancels the job on the server (DELETE) so its GPU time is freed, not just ignored.
 */
export async function runOnServer(
  image: RgbaImage,
  steps: Step[],
  { signal, onStage, onProgress }: RunCallbacks,
): Promise<{ image: RgbaImage; metadata: EditMetadata }> {
  onStage('Uploading');
  // Lossless PNG, so the server edits the same pixels the browser would.
  const job = await api.createJob(await encodePng(image), { steps, format: 'png' }, { signal });
  // Best effort: the job may already have ended, which is fine.
  const cancel = () => void api.cancelJob(job.id).catch(() => {});
  signal.addEventListener('abort', cancel, { once: true });
  try {
    let metadata: EditMetadata | undefined;
    for await (const event of api.jobEvents(job.id, { signal })) {
      switch (event.type) {
        case 'queued':
          onStage(
            event.position === 0 ? 'Queued: next on the server' : `Queued: ${event.position} ahead`,
          );
          break;
        case 'started':
          onStage(
            event.attempt > 1
              ? `Running on the server (attempt ${event.attempt})`
              : 'Running on the server',
          );
          break;
        case 'progress':
          onProgress(event.progress);
          break;
        case 'completed':
          metadata = event.metadata;
          break;
        case 'failed':
          throw new LoupeError(event.error.code, event.error.message);
        case 'cancelled':
          throw new LoupeError('CANCELLED', event.reason);
      }
    }
    if (!metadata)
      throw new LoupeError(
        'SERVER_UNREACHABLE',
        'The job event stream ended before the job finished.',
      );
    onStage('Downloading result');
    const result = await decodeToRgba(await api.jobResult(job.id, { signal }));
    return { image: result, metadata };
  } catch (e) {
    if (signal.aborted) throw new LoupeError('CANCELLED');
    throw e;
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
