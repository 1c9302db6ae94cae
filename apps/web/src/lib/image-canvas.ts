import { LoupeError, type RgbaImage } from '@loupe/shared';
import { thumbnailPixels } from './thumbnail';

/**
 * Decodes any image the browser can read to straight-alpha RGBA, upright (EXIF applied),
 * without colour management so the pixels equal what the server's decoder produces.
 *
 * @throws LoupeError('IMAGE_CORRUPT') when the browser cannot decode the bytes.
 */
export async function decodeToRgba(blob: Blob): Promise<RgbaImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, {
      imageOrientation: 'from-image',
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
  } catch {
    throw new LoupeError(
      'IMAGE_CORRUPT',
      'The file could not be decoded: it is damaged, truncated or not really an image.',
    );
  }
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new LoupeError('INTERNAL', 'No 2D canvas context');
    ctx.drawImage(bitmap, 0, 0);
    const pixels = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: pixels.width, height: pixels.height, data: new Uint8Array(pixels.data.buffer) };
  } finally {
    bitmap.close();
  }
}

export function toImageData(image: RgbaImage): ImageData {
  const pixels = new Uint8ClampedArray(
    image.data.buffer,
    image.data.byteOffset,
    image.data.length,
  ) as Uint8ClampedArray<ArrayBuffer>;
  return new ImageData(pixels, image.width, image.height);
}

/** Paints an RGBA image onto a canvas at its own size. */
export function paint(canvas: HTMLCanvasElement | OffscreenCanvas, image: RgbaImage): void {
  canvas.width = image.width;
  canvas.height = image.height;
  const ctx = canvas.getContext('2d') as
    CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  ctx?.putImageData(toImageData(image), 0, 0);
}

const thumbnails = new WeakMap<RgbaImage, Promise<string>>();

/** A small object URL of `image` for history and batch lists; one per image, made once. */
export function thumbnailUrl(image: RgbaImage, maxSide = 96): Promise<string> {
  let url = thumbnails.get(image);
  if (!url) {
    url = (async () => {
      // Shrunk before it touches a canvas: a full-size one would hold the whole picture again.
      const small = thumbnailPixels(image, maxSide);
      const thumb = new OffscreenCanvas(small.width, small.height);
      paint(thumb, small);
      return URL.createObjectURL(await thumb.convertToBlob({ type: 'image/png' }));
    })();
    thumbnails.set(image, url);
  }
  return url;
}
