import sharp from 'sharp';
import type { PreviewImage, RgbaImage } from '@loupe/shared';

/**
 * Longest side a preview crosses IPC and SSE at. The engine's previews carry latent-resolution
 * detail (one latent pixel per 8×8 block), so 256 px keeps all of it for models up to 2048².
 */
export const PREVIEW_MAX_SIDE = 256;
const PREVIEW_JPEG_QUALITY = 70;

/**
 * In the child: a denoising preview as a small JPEG (2–6 KB at 64–128 px; PNG of the same
 * noisy picture is several times larger), shrunk to `PREVIEW_MAX_SIDE` with nearest-neighbour
 * so a preview upscaled by repeating pixels comes back to its own pixels, unblurred.
 *
 * @example await encodePreview({ width: 512, height: 512, data }) // { mime: 'image/jpeg', width: 256, … }
 */
export async function encodePreview(image: RgbaImage): Promise<PreviewImage> {
  const scale = Math.min(1, PREVIEW_MAX_SIDE / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  let pipeline = sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 4 },
  });
  if (scale < 1) pipeline = pipeline.resize(width, height, { kernel: 'nearest' });
  const bytes = await pipeline
    .flatten({ background: '#000' })
    .jpeg({ quality: PREVIEW_JPEG_QUALITY })
    .toBuffer();
  return {
    mime: 'image/jpeg',
    width,
    height,
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
  };
}
