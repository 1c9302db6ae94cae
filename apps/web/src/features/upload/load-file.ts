import {
  IMAGE_FORMATS,
  IMAGE_FORMAT_IDS,
  LoupeError,
  SNIFF_BYTES,
  formatList,
  sniffImageFormat,
} from '@loupe/shared';
import { decodeToRgba } from '../../lib/image-canvas';
import { formatBytes } from '../../lib/format';
import type { SourceImage } from '../../stores/editor-store';
import { declaredSize } from './declared-size';

/** The server's defaults (LOUPE_MAX_UPLOAD_BYTES, LOUPE_MAX_INPUT_PIXELS): a file it would refuse is refused here first. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
export const MAX_INPUT_PIXELS = 50_000_000;

/**
 * Checks and decodes a dropped, picked or pasted file.
 *
 * @throws LoupeError PAYLOAD_TOO_LARGE | UNSUPPORTED_MEDIA_TYPE | IMAGE_TOO_LARGE | IMAGE_CORRUPT,
 *   with a message that names the file.
 */
export async function loadImageFile(file: File): Promise<SourceImage> {
  const name = file.name || 'pasted image';
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new LoupeError(
      'PAYLOAD_TOO_LARGE',
      `${name} is ${formatBytes(file.size)}; the limit is ${formatBytes(MAX_UPLOAD_BYTES)}.`,
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const format = sniffImageFormat(bytes.subarray(0, SNIFF_BYTES));
  if (!format) {
    throw new LoupeError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${name} is not an image Loupe can open. Use ${formatList(IMAGE_FORMAT_IDS)}.`,
    );
  }
  const declared = declaredSize(bytes, format);
  if (declared) assertPixels(name, declared.width, declared.height);
  let image;
  try {
    image = await decodeToRgba(new Blob([bytes], { type: `image/${format}` }));
  } catch {
    throw new LoupeError(
      'IMAGE_CORRUPT',
      `${name} could not be decoded: the file is damaged or truncated.`,
    );
  }
  assertPixels(name, image.width, image.height);
  return { image, name, bytes: file.size, format: IMAGE_FORMATS[format].label };
}

function assertPixels(name: string, width: number, height: number) {
  const mp = (width * height) / 1e6;
  if (width * height > MAX_INPUT_PIXELS) {
    throw new LoupeError(
      'IMAGE_TOO_LARGE',
      `${name} is ${width} × ${height} (${mp.toFixed(0)} MP); the limit is ${MAX_INPUT_PIXELS / 1e6} MP.`,
    );
  }
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
