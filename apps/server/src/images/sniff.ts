/** Formats we decode, identified by their first bytes; the client's Content-Type is never trusted. */
export const INPUT_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'gif'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to));

/**
 * The image format from magic bytes, or undefined for anything else (SVG, TIFF, HEIC, PDF…
 * which libvips would happily open, and which we do not want to expose).
 */
export function sniffImageFormat(bytes: Uint8Array): InputFormat | undefined {
  if (bytes.length < 12) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes[0] === 0x89 && ascii(bytes, 1, 4) === 'PNG' && bytes[4] === 0x0d && bytes[5] === 0x0a)
    return 'png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  // ISO-BMFF: a box of type 'ftyp' whose major brand is AVIF (HEIC shares the container and is refused).
  if (ascii(bytes, 4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(bytes, 8, 12)))
    return 'avif';
  return undefined;
}
