import type { ImageFormat } from '@loupe/shared';

// The browser decodes without colour management (lib/image-canvas.ts) while the server's
// decoder converts a file's embedded profile to sRGB: for a file with one, the two read
// different pixels. Such a file is never sent to the server as it is (see load-file.ts).

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  text.split('').every((c, i) => bytes[at + i] === c.charCodeAt(0));

function pngProfile(bytes: Uint8Array, view: DataView): boolean {
  for (let i = 8; i + 8 <= bytes.length; i += 12 + view.getUint32(i)) {
    // iCCP is an ICC profile, cICP the newer coded colour space; both must precede IDAT.
    if (ascii(bytes, i + 4, 'iCCP') || ascii(bytes, i + 4, 'cICP')) return true;
    if (ascii(bytes, i + 4, 'IDAT')) return false;
  }
  return true;
}

function jpegProfile(bytes: Uint8Array, view: DataView): boolean {
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return true;
    const marker = bytes[i + 1]!;
    if (marker === 0xda) return false; // start of scan: every APPn is behind us
    if (marker === 0xe2 && ascii(bytes, i + 4, 'ICC_PROFILE\0')) return true;
    i += 2 + view.getUint16(i + 2);
  }
  return true;
}

function webpProfile(bytes: Uint8Array, view: DataView): boolean {
  for (let i = 12; i + 8 <= bytes.length; i += 8 + ((view.getUint32(i + 4, true) + 1) & ~1)) {
    if (ascii(bytes, i, 'ICCP')) return true;
    // VP8X's flags byte has bit 5 set when an ICCP chunk follows.
    if (ascii(bytes, i, 'VP8X')) return (bytes[i + 8]! & 0x20) !== 0;
    if (ascii(bytes, i, 'VP8 ') || ascii(bytes, i, 'VP8L')) return false;
  }
  return true;
}

/**
 * Whether a file carries, or may carry, a colour profile its decoders would apply differently.
 * Read from the container's structure, not guessed: PNG iCCP/cICP, JPEG APP2 ICC_PROFILE, WebP
 * ICCP/VP8X. AVIF's colour boxes are not read and BMP is not sent, so both count as having one;
 * GIF has none. A truncated or unexpected structure counts as having one.
 *
 * @example hasColourProfile(iphoneJpegBytes, 'jpeg') // true (Display P3)
 */
export function hasColourProfile(bytes: Uint8Array, format: ImageFormat): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case 'png':
      return pngProfile(bytes, view);
    case 'jpeg':
      return jpegProfile(bytes, view);
    case 'webp':
      return webpProfile(bytes, view);
    case 'gif':
      return false;
    case 'avif':
    case 'bmp':
      return true;
  }
}
