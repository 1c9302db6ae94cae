import type { Size } from '@loupe/shared';

/** Formats we accept, recognised by their magic bytes: a file's extension and MIME type are only claims. */
export const IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'gif', 'avif', 'bmp'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const FORMAT_LABELS: Record<ImageFormat, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  webp: 'WebP',
  gif: 'GIF',
  avif: 'AVIF',
  bmp: 'BMP',
};

const ascii = (b: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...b.subarray(from, to));

/**
 * @example sniffFormat(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10)) // 'png'
 */
export function sniffFormat(head: Uint8Array): ImageFormat | null {
  if (head[0] === 0x89 && ascii(head, 1, 4) === 'PNG') return 'png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (ascii(head, 0, 4) === 'GIF8') return 'gif';
  if (ascii(head, 4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(head, 8, 12))) return 'avif';
  if (ascii(head, 0, 2) === 'BM') return 'bmp';
  return null;
}

/**
 * Dimensions a PNG or JPEG declares, read before decoding so a decompression bomb is
 * refused without allocating its pixels. Null when the header does not say (other formats
 * are checked after decoding).
 */
export function declaredSize(bytes: Uint8Array, format: ImageFormat): Size | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png' && bytes.length >= 24)
    return { width: view.getUint32(16), height: view.getUint32(20) };
  if (format !== 'jpeg') return null;
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: view.getUint16(i + 7), height: view.getUint16(i + 5) };
    }
    i += 2 + view.getUint16(i + 2);
  }
  return null;
}
