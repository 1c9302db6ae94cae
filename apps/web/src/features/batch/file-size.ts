import { SNIFF_BYTES, sniffImageFormat, type Size } from '@loupe/shared';
import { declaredSize } from '../upload/declared-size';

/** PNG and JPEG headers (with EXIF before the frame header) fit well within this. */
const HEADER_BYTES = 256 * 1024;

/**
 * A file's picture size for placing its run before it is decoded: from its header when it
 * declares one (PNG, JPEG), else from decoding it once.
 */
export async function pictureSize(file: File): Promise<Size> {
  const head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  const format = sniffImageFormat(head.subarray(0, SNIFF_BYTES));
  const declared = format ? declaredSize(head, format) : null;
  if (declared) return declared;
  const bitmap = await createImageBitmap(file);
  try {
    return { width: bitmap.width, height: bitmap.height };
  } finally {
    bitmap.close();
  }
}
