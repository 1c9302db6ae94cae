import type { ImageInput, LoupeClient } from '@loupe/client';
import {
  LoupeError,
  pixelCount,
  type EditMetadata,
  type Mask,
  type Progress,
  type RgbaImage,
  type Step,
} from '@loupe/shared';
import type { LinkMeasure } from './throughput-store';

/** What a server run needs from the API, and how pictures cross it. */
export interface ServerJobDeps {
  readonly api: Pick<LoupeClient, 'createJob' | 'jobEvents' | 'jobResult' | 'cancelJob'>;
  /** Lossless: the server must edit the same pixels the browser would (and read the same mask). */
  encode(image: RgbaImage): Promise<ImageInput>;
  decode(image: Blob): Promise<RgbaImage>;
  /** Told how long each transfer and codec step took, so later placements can price them. */
  measure?(kind: LinkMeasure, amount: number, seconds: number): void;
}

/** A mask as an opaque grey picture: luminance is the mask's byte in every runtime's decoder. */
export function maskPicture(mask: Mask): RgbaImage {
  const data = new Uint8Array(mask.width * mask.height * 4);
  for (let i = 0, p = 0; i < mask.data.length; i++, p += 4) {
    const v = mask.data[i]!;
    data[p] = v;
    data[p + 1] = v;
    data[p + 2] = v;
    data[p + 3] = 255;
  }
  return { width: mask.width, height: mask.height, data };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, (performance.now() - start) / 1000];
}

const byteLength = (input: ImageInput) => (input instanceof Blob ? input.size : input.byteLength);

/** A generative run's picture after `step` of `total` denoising steps, smaller than the result. */
export interface GenerationPreview {
  readonly step: number;
  readonly total: number;
  readonly image: RgbaImage;
}

export interface RunHooks {
  readonly signal?: AbortSignal;
  onStage?(stage: string): void;
  onProgress?(progress: Progress): void;
  /** Generative runs: each denoising preview as it arrives (the server's SSE, the worker's message). */
  onGenerationPreview?(preview: GenerationPreview): void;
}

/** A preview event's data URL as pixels; a preview that fails to decode is skipped, not fatal. */
async function previewPixels(
  dataUrl: string,
  decode: (image: Blob) => Promise<RgbaImage>,
): Promise<RgbaImage | null> {
  try {
    return await decode(await (await fetch(dataUrl)).blob());
  } catch {
    return null;
  }
}

/**
 * How many pictures a finished job keeps (its `resultCount`): one per seed of a generative step
 * with count > 1, which the engine only allows as the last step; one for any other job.
 */
export function resultCount(metadata: EditMetadata): number {
  return Math.max(1, metadata.generation?.seeds.length ?? 1);
}

/**
 * Runs every step as one server job: one upload, POST /api/jobs, its SSE events, one download.
 * `original` is the file `image` was decoded from, sent as it is when given: no PNG encoding
 * here, and usually far fewer bytes than a lossless re-encode. A `mask` goes as a grey PNG (the
 * server reads its luminance). Aborting cancels the job on the server (DELETE) so its GPU time
 * is freed, not just ignored. `image` is null for a pipeline that makes its picture (generate).
 */
export async function runServerJob(
  { api, encode, decode, measure = () => {} }: ServerJobDeps,
  image: RgbaImage | null,
  steps: readonly Step[],
  { signal, onStage = () => {}, onProgress = () => {}, onGenerationPreview }: RunHooks,
  original?: Blob,
  mask?: Mask,
): Promise<{ image: RgbaImage; variations?: RgbaImage[]; metadata: EditMetadata }> {
  if (signal?.aborted) throw new LoupeError('CANCELLED');
  let upload: ImageInput | null;
  if (!image) {
    upload = null;
  } else if (original) {
    upload = original;
  } else {
    onStage('Encoding the picture for upload');
    let seconds;
    [upload, seconds] = await timed(() => encode(image));
    measure('pngEncode', pixelCount(image), seconds);
  }
  const maskUpload = mask ? { mask: await encode(maskPicture(mask)) } : {};
  onStage('Uploading');
  const [job, uploadSeconds] = await timed(() =>
    api.createJob(upload, { steps: [...steps], format: 'png', ...maskUpload }, { signal }),
  );
  if (upload) measure('uplink', byteLength(upload), uploadSeconds);
  // Best effort: the job may already have ended, which is fine.
  const cancel = () => void api.cancelJob(job.id).catch(() => {});
  signal?.addEventListener('abort', cancel, { once: true });
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
        case 'preview': {
          if (!onGenerationPreview) break;
          const pixels = await previewPixels(event.image, decode);
          if (pixels) onGenerationPreview({ step: event.step, total: event.total, image: pixels });
          break;
        }
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
    const count = resultCount(metadata);
    const pictures: RgbaImage[] = [];
    for (let index = 0; index < count; index++) {
      onStage(count > 1 ? `Downloading result ${index + 1} of ${count}` : 'Downloading result');
      const [blob, downloadSeconds] = await timed(() => api.jobResult(job.id, { signal, index }));
      measure('downlink', blob.size, downloadSeconds);
      const [picture, decodeSeconds] = await timed(() => decode(blob));
      measure('resultDecode', pixelCount(picture), decodeSeconds);
      pictures.push(picture);
    }
    const [image, ...variations] = pictures as [RgbaImage, ...RgbaImage[]];
    return { image, ...(variations.length ? { variations } : {}), metadata };
  } catch (e) {
    if (signal?.aborted) throw new LoupeError('CANCELLED');
    throw e;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}
