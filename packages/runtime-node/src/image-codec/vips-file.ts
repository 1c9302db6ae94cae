import { open } from 'node:fs/promises';

/**
 * The VIPS native format is a 64-byte header, the pixels band-interleaved, then an XML
 * trailer. libvips writes it while streaming a decode, and its pixel block is exactly the
 * RGBA8 raster the engine wants, so reading it back is one positioned read, no codec.
 * Only files this server wrote are read: little-endian, 4 bands of uchar, uncoded.
 */
const HEADER_BYTES = 64;
const MAGIC_LITTLE_ENDIAN = 0xb6a6f208;
const BAND_FORMAT_UCHAR = 0;
const CODING_NONE = 0;

export async function readVipsRgba(
  path: string,
  width: number,
  height: number,
): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    await file.read(header, 0, HEADER_BYTES, 0);
    const fields = {
      magic: header.readUInt32BE(0),
      width: header.readInt32LE(4),
      height: header.readInt32LE(8),
      bands: header.readInt32LE(12),
      bandFormat: header.readInt32LE(20),
      coding: header.readInt32LE(24),
    };
    const expected = {
      magic: MAGIC_LITTLE_ENDIAN,
      width,
      height,
      bands: 4,
      bandFormat: BAND_FORMAT_UCHAR,
      coding: CODING_NONE,
    };
    for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
      if (fields[key] !== expected[key])
        throw new Error(`${path}: ${key} is ${fields[key]}, expected ${expected[key]}`);
    }
    const pixels = new Uint8Array(width * height * 4);
    for (let at = 0; at < pixels.byteLength;) {
      const { bytesRead } = await file.read(pixels, at, pixels.byteLength - at, HEADER_BYTES + at);
      if (bytesRead === 0)
        throw new Error(`${path}: ${at} pixel bytes, expected ${pixels.byteLength}`);
      at += bytesRead;
    }
    return pixels;
  } finally {
    await file.close();
  }
}
