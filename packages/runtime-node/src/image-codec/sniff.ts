import {
  SERVER_IMAGE_FORMATS,
  isServerImageFormat,
  sniffImageFormat as sniff,
  type ServerImageFormat,
} from '@loupe/shared';

/** Formats the server decodes; the sniffing table is shared with the web app (@loupe/shared image/formats.ts). */
export const INPUT_FORMATS = SERVER_IMAGE_FORMATS;
export type InputFormat = ServerImageFormat;

/**
 * The image format from magic bytes, or undefined for anything else: what the shared table
 * does not know (SVG, TIFF, HEIC, PDF…) and what only browsers decode (BMP).
 */
export function sniffImageFormat(bytes: Uint8Array): InputFormat | undefined {
  const format = sniff(bytes);
  return format && isServerImageFormat(format) ? format : undefined;
}
