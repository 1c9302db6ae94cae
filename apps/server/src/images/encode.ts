import sharp from 'sharp';
import type { OutputFormat, RgbaImage } from '@loupe/shared';

export const MIME: Record<OutputFormat, string> = {
  png: 'image/png',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
};

/**
 * Encodes straight RGBA8. PNG and WebP keep alpha (WebP at the same quality for alpha);
 * JPEG has none, so transparency is flattened onto white rather than whatever colour the
 * transparent pixels happen to hold.
 */
export async function encodeImage(
  image: RgbaImage,
  format: OutputFormat,
  quality: number,
): Promise<Buffer> {
  const raw = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
  switch (format) {
    case 'png':
      return raw.png({ compressionLevel: 6 }).toBuffer();
    case 'webp':
      return raw.webp({ quality, alphaQuality: quality }).toBuffer();
    case 'jpeg':
      return raw.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: true }).toBuffer();
  }
}
