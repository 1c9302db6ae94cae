/** What a PNG's chunks before its pixels say: enough to admit an upload without libvips. */
export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly hasAlpha: boolean;
}

/** Colour types (PNG spec 11.2.2) and the bit depths each allows. */
const DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
const WITH_ALPHA = new Set([4, 6]);

/**
 * Width, height and alpha of a PNG from IHDR and the chunks up to the first IDAT, in
 * microseconds where libvips's header read costs milliseconds on the upload path. Null when
 * this reader cannot be sure, and the caller asks libvips: a malformed IHDR, an eXIf chunk (its
 * orientation may swap width and height), or a file that ends before its pixels.
 */
export function readPngHeader(bytes: Uint8Array): PngHeader | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkType = (at: number) =>
    String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
  if (bytes.length < 33 || view.getUint32(8) !== 13 || chunkType(8) !== 'IHDR') return null;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const depth = bytes[24]!;
  const colourType = bytes[25]!;
  const valid =
    width > 0 &&
    height > 0 &&
    width < 2 ** 31 &&
    height < 2 ** 31 &&
    (DEPTHS[colourType]?.includes(depth) ?? false) &&
    bytes[26] === 0 &&
    bytes[27] === 0 &&
    bytes[28]! <= 1;
  if (!valid) return null;
  let hasAlpha = WITH_ALPHA.has(colourType);
  for (let at = 33; at + 8 <= bytes.length;) {
    const type = chunkType(at);
    if (type === 'IDAT') return { width, height, hasAlpha };
    if (type === 'eXIf') return null;
    if (type === 'tRNS') hasAlpha = true;
    at += 12 + view.getUint32(at);
  }
  return null;
}
