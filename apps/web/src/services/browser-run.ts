import {
  LoupeError,
  type BrowserEp,
  type DownloadProgress,
  type EditMetadata,
  type Mask,
  type RgbaImage,
  type SessionProgress,
  type Step,
  type WorkerDiffusion,
} from '@loupe/shared';
import type { BrowserInference } from '../inference/client';
import { formatBytes } from '../lib/format';
import { pictureKey } from './picture-keys';
import type { RunHooks } from './server-job';

/** "Preparing isnet-quint8 (WASM)…": what the wait after a model download is. */
export function preparingStage({ model, ep }: SessionProgress): string {
  return `Preparing ${model} (${ep === 'webgpu' ? 'WebGPU' : 'WASM'})…`;
}

/**
 * Runs every step in one call to the inference worker. Cancel terminates the worker: it only
 * checks for a cancel between tiles, and one WASM tile of a large model takes tens of seconds,
 * holding up every later run (scripts/smoke.mjs: a cancelled ESRGAN-thick ×4 blocked a grayscale
 * for minutes). The next call starts a fresh worker, which reads its models from Cache Storage.
 * The worker is shared (the batch runs beside the editor): when another caller's call is in
 * flight it is kept, and the cancelled run stops at its next tile (see `interrupt`).
 * `image` is null for a pipeline that makes its picture (generate); `diffusion` is the folder
 * a generative step runs, whose every denoising step is previewed.
 */
export async function runInBrowser(
  inference: Pick<BrowserInference, 'run' | 'interrupt'>,
  ep: BrowserEp | undefined,
  image: RgbaImage | null,
  steps: readonly Step[],
  { signal, onStage = () => {}, onProgress, onGenerationPreview }: RunHooks,
  { mask, diffusion }: { mask?: Mask; diffusion?: WorkerDiffusion } = {},
): Promise<{ image: RgbaImage; variations?: readonly RgbaImage[]; metadata: EditMetadata }> {
  if (signal?.aborted) throw new LoupeError('CANCELLED');
  onStage('Preparing');
  const stop = () => inference.interrupt();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    // The client transfers the buffer to its worker; the caller keeps its own picture.
    return await inference.run(image ? { ...image, data: image.data.slice() } : null, steps, {
      ...(ep ? { ep } : {}),
      ...(signal ? { signal } : {}),
      ...(onProgress ? { onProgress } : {}),
      ...(mask ? { mask } : {}),
      ...(diffusion ? { diffusion, previewEvery: 1 } : {}),
      ...(onGenerationPreview ? { onGenerationPreview } : {}),
      // What the worker keeps of this picture (a matte) is reused by later runs on it.
      ...(image ? { inputKey: pictureKey(image) } : {}),
      onDownload: (d: DownloadProgress) =>
        onStage(
          d.fromCache
            ? `Loading ${d.model} from cache`
            : `Downloading ${d.model}: ${formatBytes(d.loaded)} of ${formatBytes(d.total)}`,
        ),
      // Its bytes are all here; making the session can take longer than the download did.
      onPrepare: (s: SessionProgress) => onStage(preparingStage(s)),
    });
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
