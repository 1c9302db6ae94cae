import {
  ERROR_CODES,
  IMAGE_FORMAT_IDS,
  LoupeError,
  isLoupeError,
  acceptAttribute,
  formatList,
  formatMegapixels,
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

/** "50 MP", "2.001 MP": the shared wording, so placement and upload say sizes alike. */
export { formatMegapixels };

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

/**
 * A zero-byte file: not a format Loupe lacks but no picture at all, usually a download or copy
 * that did not finish. It gets its own title rather than "not supported".
 */
export class EmptyFileError extends LoupeError {
  readonly title = 'The file is empty';
  constructor(name: string) {
    super(
      'IMAGE_CORRUPT',
      `${name} is 0 bytes: there is no picture in it. If it was still downloading or copying, try again once it has finished.`,
    );
  }
}

/** @throws EmptyFileError for a file of 0 bytes. */
export function checkNotEmpty(name: string, bytes: number): void {
  if (bytes === 0) throw new EmptyFileError(name);
}

/** The notice title for a file that did not open. */
export function refusalTitle(e: unknown): string {
  if (e instanceof EmptyFileError) return e.title;
  return isLoupeError(e) ? ERROR_CODES[e.code].title : 'The file could not be opened';
}
