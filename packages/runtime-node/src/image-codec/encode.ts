import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import {
  withPngChunks,
  type OutputEncoding,
  type OutputFormat,
  type RgbaImage,
} from '@loupe/shared';
import {
  ENCODER_SETTINGS,
  IN_MEMORY_PNG_MAX_PIXELS,
  STREAMING_JPEG,
  STREAMING_JPEG_MIN_PIXELS,
} from './compression';
import { writePng } from './png-writer';
import { PngTextInserter, textChunksOf } from './png-text';

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

/** The text chunks a result gets: `output.text`'s, for PNG only (checked before encoding). */
function textChunks(output: OutputEncoding): Uint8Array[] {
  return output.format === 'png' ? textChunksOf(output.text) : [];
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);

/** Encodes in memory; a PNG gets `output.text` as text chunks after IHDR, whichever writer runs. */
export async function encodeImage(image: RgbaImage, output: OutputEncoding): Promise<Buffer> {
  const text = textChunks(output);
  if (ownPngWriter(image, output))
    return writePng(image, { opaque: isOpaque(image), text: output.text });
  const encoded = await encoder(image, output).toBuffer();
  return text.length ? asBuffer(withPngChunks(encoded, text)) : encoded;
}

/**
 * Encodes into `path` (libvips writes as it encodes); resolves to the file's size in bytes. A
 * PNG with text streams through PngTextInserter on its way to the file, so the text costs no
 * second pass over a file that may be hundreds of megabytes.
 */
export async function encodeImageToFile(
  image: RgbaImage,
  output: OutputEncoding,
  path: string,
): Promise<number> {
  const text = textChunks(output);
  if (ownPngWriter(image, output)) {
    const bytes = await writePng(image, { opaque: isOpaque(image), text: output.text });
    await writeFile(path, bytes);
    return bytes.length;
  }
  if (!text.length) return (await encoder(image, output).toFile(path)).size;
  const inserter = new PngTextInserter(text);
  await pipeline(encoder(image, output), inserter, createWriteStream(path));
  return inserter.written;
}
