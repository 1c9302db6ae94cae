import {
  IMAGE_FORMAT_IDS,
  LoupeError,
  acceptAttribute,
  formatList,
  imageFormatInfo,
  type Size,
  type UploadLimits,
} from '@loupe/shared';
import { formatBytes } from '../../lib/format';

// What a file must be to open, checked in the browser so a file the server would refuse is
// refused before anything is sent. The numbers are the server's (`upload-limits.ts`).

/**
 * Every format of the shared table: the browser decodes them all. The server's own list can be
 * shorter (no BMP) without limiting the browser, which always uploads its decoded pixels as PNG.
 */
export const OPENABLE_FORMATS = IMAGE_FORMAT_IDS.map(imageFormatInfo);

/** The file picker's `accept`: the same formats, by MIME type and extension. */
export const FILE_PICKER_ACCEPT = acceptAttribute(OPENABLE_FORMATS);

/** "PNG, JPEG, WebP, GIF, AVIF or BMP", for what the app says it opens. */
export const OPENABLE_FORMAT_NAMES = formatList(IMAGE_FORMAT_IDS);

/** "50 MP", "0.01 MP", "2.001 MP": enough digits that an image just over a limit reads as over it. */
export function formatMegapixels(pixels: number): string {
  return `${Number((pixels / 1e6).toPrecision(4))} MP`;
}

/** @throws LoupeError PAYLOAD_TOO_LARGE naming the file, its size and the limit. */
export function checkFileSize(name: string, bytes: number, limits: UploadLimits): void {
  if (bytes <= limits.maxUploadBytes) return;
  throw new LoupeError(
    'PAYLOAD_TOO_LARGE',
    `${name} is ${formatBytes(bytes)}; the limit is ${formatBytes(limits.maxUploadBytes)}.`,
  );
}

/** @throws LoupeError IMAGE_TOO_LARGE naming the file, its dimensions and the limit. */
export function checkPixels(name: string, { width, height }: Size, limits: UploadLimits): void {
  if (width * height <= limits.maxInputPixels) return;
  throw new LoupeError(
    'IMAGE_TOO_LARGE',
    `${name} is ${width} × ${height} (${formatMegapixels(width * height)}); the limit is ${formatMegapixels(limits.maxInputPixels)}.`,
  );
}

export function notAnImage(name: string): LoupeError {
  return new LoupeError(
    'UNSUPPORTED_MEDIA_TYPE',
    `${name} is not an image Loupe can open. Use ${OPENABLE_FORMAT_NAMES}.`,
  );
}
