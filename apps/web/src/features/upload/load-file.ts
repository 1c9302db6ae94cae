import {
  IMAGE_FORMATS,
  LoupeError,
  SNIFF_BYTES,
  isOpaque,
  sniffImageFormat,
  type ImageFormat,
  type RgbaImage,
  type UploadLimits,
} from '@loupe/shared';
import { decodeToRgba } from '../../lib/image-canvas';
import type { SourceImage } from '../../stores/editor-store';
import { hasColourProfile } from './colour-profile';
import { declaredSize } from './declared-size';
import { checkFileSize, checkNotEmpty, checkPixels, notAnImage } from './upload-checks';
import { serverUploadLimits } from './upload-limits';

/**
 * Whether the server, sent this file as it is, reads the same pixels the browser decoded: a
 * format it decodes, no colour profile (the browser ignores one, the server applies it), and
 * opaque (the canvas the browser decodes through rounds semi-transparent colours).
 */
function serverReadsAsDecoded(
  bytes: Uint8Array,
  format: ImageFormat,
  image: RgbaImage,
  limits: UploadLimits,
): boolean {
  return (
    limits.formats.some((f) => f.id === format) &&
    !hasColourProfile(bytes, format) &&
    isOpaque(image)
  );
}

/**
 * Checks and decodes a dropped, picked or pasted file, against the server's limits unless
 * given others.
 *
 * @throws EmptyFileError for 0 bytes; LoupeError PAYLOAD_TOO_LARGE | UNSUPPORTED_MEDIA_TYPE | IMAGE_TOO_LARGE | IMAGE_CORRUPT,
 *   with a message that names the file.
 */
export async function loadImageFile(file: File, limits?: UploadLimits): Promise<SourceImage> {
  const name = file.name || 'pasted image';
  const accepted = limits ?? (await serverUploadLimits());
  checkNotEmpty(name, file.size);
  checkFileSize(name, file.size, accepted);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const format = sniffImageFormat(bytes.subarray(0, SNIFF_BYTES));
  if (!format) throw notAnImage(name);
  const declared = declaredSize(bytes, format);
  if (declared) checkPixels(name, declared, accepted);
  const typed = new Blob([bytes], { type: IMAGE_FORMATS[format].mime });
  let image;
  try {
    image = await decodeToRgba(typed);
  } catch {
    throw new LoupeError(
      'IMAGE_CORRUPT',
      `${name} could not be decoded: the file is damaged or truncated.`,
    );
  }
  checkPixels(name, image, accepted);
  return {
    image,
    name,
    bytes: file.size,
    format: IMAGE_FORMATS[format].label,
    file: typed,
    ...(serverReadsAsDecoded(bytes, format, image, accepted) ? { upload: typed } : {}),
  };
}

/** Image files among dropped or pasted items, in order; directories and text are ignored. */
export function filesFrom(list: FileList | DataTransferItemList | null | undefined): File[] {
  if (!list) return [];
  const out: File[] = [];
  for (const item of Array.from(list as ArrayLike<File | DataTransferItem>)) {
    const file = item instanceof File ? item : item.kind === 'file' ? item.getAsFile() : null;
    if (file) out.push(file);
  }
  return out;
}
