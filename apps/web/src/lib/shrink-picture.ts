import { LoupeError, type RgbaImage, type Size } from '@loupe/shared';
import { toImageData } from './image-canvas';

/**
 * `image` shrunk to `to` by the browser's own (native, asynchronous) resampler: the shared JS
 * kernels would hold up the page's thread for a whole large photo. For previews only: the canvas
 * stores premultiplied bytes, so semi-transparent colours may move a level.
 */
export async function shrinkPicture(image: RgbaImage, to: Size): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(toImageData(image), {
    resizeWidth: to.width,
    resizeHeight: to.height,
    resizeQuality: 'medium',
    premultiplyAlpha: 'premultiply',
    colorSpaceConversion: 'none',
  });
  try {
    const canvas = new OffscreenCanvas(to.width, to.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new LoupeError('INTERNAL', 'No 2D canvas context');
    ctx.drawImage(bitmap, 0, 0);
    const pixels = ctx.getImageData(0, 0, to.width, to.height);
    return { width: to.width, height: to.height, data: new Uint8Array(pixels.data.buffer) };
  } finally {
    bitmap.close();
  }
}
