import { rm } from 'node:fs/promises';
import sharp from 'sharp';
import { LoupeError, formatList, type RgbaImage } from '@loupe/shared';
import { readPngHeader } from './png-header';
import { readPlainPng } from './png-reader';
import { INPUT_FORMATS, sniffImageFormat, type InputFormat } from './sniff';

/** libvips loader names for each format we accept: anything else is refused even if it sniffs right. */
const LOADER_FORMAT: Record<InputFormat, string> = {
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  avif: 'heif',
  gif: 'gif',
};

export interface DecodedImage {
  image: RgbaImage;
  format: InputFormat;
  hasAlpha: boolean;
}

export interface ImageHeader {
  format: InputFormat;
  width: number;
  height: number;
  hasAlpha: boolean;
}

function checkPixels(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new LoupeError(
      'IMAGE_TOO_LARGE',
      `The image is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} MP); the limit is ${(maxPixels / 1e6).toFixed(1)} MP`,
    );
  }
}

/**
 * Declared size after EXIF orientation, read from the header without decoding any pixels.
 * A plain PNG's chunks are read here; everything else (and a PNG this reader is unsure of)
 * asks libvips.
 */
export async function readHeader(bytes: Uint8Array, maxPixels: number): Promise<ImageHeader> {
  const format = sniffImageFormat(bytes);
  if (!format) {
    throw new LoupeError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Not a ${formatList(INPUT_FORMATS)} file (checked from its content, not its name or type)`,
    );
  }
  const png = format === 'png' ? readPngHeader(bytes) : null;
  if (png) {
    checkPixels(png.width, png.height, maxPixels);
    return { format, ...png };
  }
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(bytes, { limitInputPixels: false, pages: 1 }).metadata();
  } catch (e) {
    throw new LoupeError(
      'IMAGE_CORRUPT',
      `Cannot read the ${format} header: ${(e as Error).message}`,
    );
  }
  if (meta.format !== LOADER_FORMAT[format]) {
    throw new LoupeError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content looks like ${format} but decodes as ${meta.format}`,
    );
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = rotated ? meta.height : meta.width;
  const height = rotated ? meta.width : meta.height;
  if (!width || !height) throw new LoupeError('IMAGE_CORRUPT', 'The image declares no dimensions');
  checkPixels(width, height, maxPixels);
  return { format, width, height, hasAlpha: Boolean(meta.hasAlpha) };
}

/** One decode recipe for both destinations: straight sRGB RGBA8, EXIF orientation applied. */
function decoder(bytes: Uint8Array, maxPixels: number) {
  return sharp(bytes, { failOn: 'truncated', limitInputPixels: maxPixels, pages: 1, page: 0 })
    .rotate()
    .toColourspace('srgb')
    .ensureAlpha();
}

function corrupt(format: InputFormat, e: unknown): LoupeError {
  return new LoupeError(
    'IMAGE_CORRUPT',
    `The ${format} file cannot be decoded: ${(e as Error).message}`,
  );
}

/**
 * Decodes to straight RGBA8 in memory. Size is checked from the header first (a 100k×100k PNG
 * is a few KB), truncated files fail instead of decoding grey, and GIF/animated WebP give their
 * first frame. Runs on the libuv threadpool: the event loop stays free.
 */
export async function decodeImage(
  bytes: Uint8Array,
  maxPixels: number,
  /** The caller's readHeader of these bytes, when it already has one. */
  known?: ImageHeader,
): Promise<DecodedImage> {
  const header = known ?? (await readHeader(bytes, maxPixels));
  const plain = header.format === 'png' ? await readPlainPng(bytes) : null;
  if (plain) return { image: plain, format: header.format, hasAlpha: header.hasAlpha };
  try {
    const { data, info } = await decoder(bytes, maxPixels)
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`decoded ${info.channels} channels`);
    return {
      image: {
        width: info.width,
        height: info.height,
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      },
      format: header.format,
      hasAlpha: header.hasAlpha,
    };
  } catch (e) {
    throw corrupt(header.format, e);
  }
}

export interface DecodedFile {
  path: string;
  width: number;
  height: number;
  format: InputFormat;
  hasAlpha: boolean;
}

/**
 * Decodes straight into a VIPS-format file (`path` must end in `.v`): libvips streams the
 * decode in strips, so a 36 MP input never exists as a 144 MB buffer in this process.
 * `readVipsRgba` reads it back in the inference child.
 */
export async function decodeImageToFile(
  bytes: Uint8Array,
  maxPixels: number,
  path: string,
  known?: ImageHeader,
): Promise<DecodedFile> {
  const header = known ?? (await readHeader(bytes, maxPixels));
  try {
    const info = await decoder(bytes, maxPixels).toFile(path);
    if (info.channels !== 4) throw new Error(`decoded ${info.channels} channels`);
    return { ...header, path, width: info.width, height: info.height };
  } catch (e) {
    await rm(path, { force: true });
    throw corrupt(header.format, e);
  }
}
