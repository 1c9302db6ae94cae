/**
 * The PNG container's chunk layout (PNG spec, 5.3): a 4-byte big-endian length, a 4-letter type,
 * the body, and a CRC-32 of type and body. Pure code, so the server, the worker and the page read
 * and write chunks the same way.
 */

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** Signature, then IHDR's 12 bytes of framing and 13 of body: where the first chunk after IHDR goes. */
export const PNG_AFTER_IHDR = PNG_SIGNATURE.length + 12 + 13;

let table: Uint32Array | undefined;

/** CRC-32 as PNG and zlib define it (polynomial 0xEDB88320); pass `previous` to continue. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** A whole chunk: length, type, body, CRC. @example pngChunk('IEND', new Uint8Array(0)).length // 12 */
export function pngChunk(type: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/** Whether `bytes` start with the PNG signature and an IHDR chunk of the right length. */
export function startsWithPngHeader(bytes: Uint8Array): boolean {
  if (bytes.length < PNG_AFTER_IHDR) return false;
  for (let i = 0; i < PNG_SIGNATURE.length; i++) if (bytes[i] !== PNG_SIGNATURE[i]) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(8) === 13 && chunkTypeAt(bytes, 8) === 'IHDR';
}

/** The 4-letter type of the chunk starting at `at`. */
export function chunkTypeAt(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
}
