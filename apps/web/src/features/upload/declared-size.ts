import type { ImageFormat, Size } from '@loupe/shared';

// Which format a file is comes from the sniffing table the server uses too (@loupe/shared
// image/formats.ts); reading the declared size before decoding is the browser's own step.

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
