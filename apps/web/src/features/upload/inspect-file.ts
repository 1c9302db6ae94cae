import {
  IMAGE_FORMATS,
  LoupeError,
  SNIFF_BYTES,
  sniffImageFormat,
  type Size,
  type UploadLimits,
} from '@loupe/shared';
import { declaredSize } from './declared-size';
import { checkFileSize, checkNotEmpty, checkPixels, notAnImage } from './upload-checks';

/** PNG and JPEG headers (with EXIF before the frame header) fit well within this. */
const HEADER_BYTES = 256 * 1024;

/** A file checked to be an image Loupe can open, without holding its pixels. */
export interface InspectedFile {
  name: string;
  /** Format in the user's words, e.g. "PNG". */
  format: string;
  bytes: number;
  size: Size;
  /** The same bytes, typed with the sniffed MIME type. */
  file: Blob;
}

/**
 * What opening `file` would check, done up front for a file that is not opened yet (a batch
 * file): not empty, within the server's limits, a format Loupe reads, and its picture size,
 * from the header when it declares one (PNG, JPEG), else from decoding it once.
 *
 * @throws the same errors as `loadImageFile` (EmptyFileError, LoupeError …), naming the file.
 */
export async function inspectImageFile(
  file: Blob,
  fileName: string,
  limits: UploadLimits,
): Promise<InspectedFile> {
  const name = fileName || 'pasted image';
  checkNotEmpty(name, file.size);
  checkFileSize(name, file.size, limits);
  const head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  const format = sniffImageFormat(head.subarray(0, SNIFF_BYTES));
  if (!format) throw notAnImage(name);
  const typed = file.slice(0, file.size, IMAGE_FORMATS[format].mime);
  let size = declaredSize(head, format);
  if (!size) {
    const bitmap = await createImageBitmap(typed).catch(() => {
      throw new LoupeError(
        'IMAGE_CORRUPT',
        `${name} could not be decoded: the file is damaged or truncated.`,
      );
    });
    size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
  }
  checkPixels(name, size, limits);
  return { name, format: IMAGE_FORMATS[format].label, bytes: file.size, size, file: typed };
}
