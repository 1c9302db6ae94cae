// Loupe through the shared engine (packages/shared/src/engine), exactly as the server's child
// processes and the web worker run it: only the ModelRunner differs.
import {
  executePipeline,
  parsePipeline,
  type EsrganSize,
  type ModelRunner,
  type RestoreTask,
  type RgbaImage,
  type StepInput,
} from '@loupe/shared';
import type { RawImage } from './images';

export function toRgba(img: RawImage): RgbaImage {
  if (img.channels === 4) return { width: img.width, height: img.height, data: img.data };
  const data = new Uint8Array(img.width * img.height * 4);
  for (let i = 0, j = 0; i < img.data.length; i += 3, j += 4) {
    data[j] = img.data[i]!;
    data[j + 1] = img.data[i + 1]!;
    data[j + 2] = img.data[i + 2]!;
    data[j + 3] = 255;
  }
  return { width: img.width, height: img.height, data };
}

export function rgbOf(img: RgbaImage): Uint8Array {
  const out = new Uint8Array(img.width * img.height * 3);
  for (let i = 0, j = 0; j < img.data.length; i += 3, j += 4) {
    out[i] = img.data[j]!;
    out[i + 1] = img.data[j + 1]!;
    out[i + 2] = img.data[j + 2]!;
  }
  return out;
}

async function execute(
  image: RgbaImage,
  step: StepInput,
  runner: ModelRunner,
  tileSize?: number,
): Promise<RgbaImage> {
  const parsed = parsePipeline([step]);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const result = await executePipeline(image, parsed.value, {
    runner,
    ...(tileSize ? { tileSize: () => tileSize } : {}),
  });
  return result.image;
}

/** Upscale RGBA through the engine, RGBA out: what the server's child times as inference. */
export function engineUpscaleRgba(
  runner: ModelRunner,
  image: RgbaImage,
  size: EsrganSize,
  scale: 2 | 4,
  tileSize?: number,
): Promise<RgbaImage> {
  return execute(image, { op: 'upscale', params: { model: size, scale } }, runner, tileSize);
}

/** Upscale through the engine (tiled by the model spec unless `tileSize` is given); returns RGB. */
export async function engineUpscale(
  runner: ModelRunner,
  img: RawImage,
  size: EsrganSize,
  scale: 2 | 4,
  tileSize?: number,
): Promise<Uint8Array> {
  return rgbOf(await engineUpscaleRgba(runner, toRgba(img), size, scale, tileSize));
}

/** Background removal (cutout) through the engine on decoded RGBA. */
export function engineRemoveBackground(
  runner: ModelRunner,
  image: RgbaImage,
  variant: 'quint8' | 'fp16',
): Promise<RgbaImage> {
  return execute(
    image,
    { op: 'remove-background', params: { model: variant, output: 'cutout' } },
    runner,
  );
}

/** MAXIM restoration through the engine (fixed 256² tiles, mirror-padded below one); returns RGB. */
export async function engineRestore(
  runner: ModelRunner,
  img: RawImage,
  task: RestoreTask,
): Promise<Uint8Array> {
  return rgbOf(await execute(toRgba(img), { op: 'restore', params: { task } }, runner));
}
