import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { OutputEncoding, OutputFormat, RgbaImage } from '@loupe/shared';
import {
  ENCODER_SETTINGS,
  IN_MEMORY_PNG_MAX_PIXELS,
  STREAMING_JPEG,
  STREAMING_JPEG_MIN_PIXELS,
} from './compression';
import { writePng } from './png-writer';

export const MIME: Record<OutputFormat, string> = {
  png: 'image/png',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
};

/** True when every pixel is opaque, so the alpha channel carries nothing. */
export function isOpaque(image: RgbaImage): boolean {
  // A plain byte view: V8 reads a Uint8ClampedArray several times slower in a hot loop.
  const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false;
  return true;
}

/**
 * Straight RGBA8 → the output format. PNG and WebP keep alpha (WebP at the same quality for
 * alpha); an opaque PNG is written as RGB, which decodes to the same pixels in a quarter less
 * data to compress. JPEG has no alpha, so transparency is flattened onto white rather than
 * whatever colour the transparent pixels happen to hold.
 */
function encoder(image: RgbaImage, { format, quality, compression }: OutputEncoding) {
  const raw = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
  const settings = ENCODER_SETTINGS[compression];
  switch (format) {
    case 'png':
      return (isOpaque(image) ? raw.removeAlpha() : raw).png(settings.png);
    case 'webp':
      return raw.webp({ ...settings.webp, quality, alphaQuality: quality });
    case 'jpeg': {
      const flat = raw.flatten({ background: '#ffffff' });
      return image.width * image.height < STREAMING_JPEG_MIN_PIXELS
        ? flat.jpeg({ ...settings.jpeg, quality })
        : flat.jpeg({ ...STREAMING_JPEG, quality });
    }
  }
}

/** `fast` PNGs that fit in memory come from Loupe's own writer (png-writer.ts says why). */
function ownPngWriter(image: RgbaImage, output: OutputEncoding): boolean {
  return (
    output.format === 'png' &&
    output.compression === 'fast' &&
    image.width * image.height <= IN_MEMORY_PNG_MAX_PIXELS
  );
}

export function encodeImage(image: RgbaImage, output: OutputEncoding): Promise<Buffer> {
  if (ownPngWriter(image, output)) return writePng(image, { opaque: isOpaque(image) });
  return encoder(image, output).toBuffer();
}

/** Encodes into `path` (libvips writes as it encodes); resolves to the file's size in bytes. */
export async function encodeImageToFile(
  image: RgbaImage,
  output: OutputEncoding,
  path: string,
): Promise<number> {
  if (ownPngWriter(image, output)) {
    const bytes = await writePng(image, { opaque: isOpaque(image) });
    await writeFile(path, bytes);
    return bytes.length;
  }
  return (await encoder(image, output).toFile(path)).size;
}
