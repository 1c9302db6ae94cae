import { availableParallelism } from 'node:os';
import { constants, crc32, deflateRaw } from 'node:zlib';
import type { RgbaImage } from '@loupe/shared';

/**
 * The `fast` PNG, written here instead of by libvips: every row Up-filtered and deflated in
 * horizontal bands at once on libuv's threads, the way pigz splits a stream. On the issue's
 * small job (a 1536×864 slim ×4 result) libvips at level 1 unfiltered took ~40 ms for 2.0 MiB;
 * this takes about half the time for about half the bytes (bench/encode-settings.ts).
 *
 * Why these choices: the Up filter alone is most of what adaptive filtering gains on
 * photographs and model outputs, and costs one subtraction per byte; after it, run-length
 * matching (Z_RLE) finds nearly what level-1 LZ77 finds at the cost of Huffman-only coding.
 * Each band but the last ends on a sync flush (a byte-aligned empty stored block), so the raw
 * deflate streams concatenate into one valid zlib stream; the Adler-32 of the whole is taken
 * on the main thread while the bands compress.
 */

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const COLOUR_TYPE = { rgb: 2, rgba: 6 } as const;
const FILTER_UP = 2;
/** A band shorter than this compresses worse than it gains from running beside the others. */
const MIN_BAND_ROWS = 64;
/** libuv runs four threads unless UV_THREADPOOL_SIZE says otherwise; more bands would queue. */
const MAX_BANDS = 4;

export interface PngWriterOptions {
  /** Write RGB (the alpha channel is dropped): the caller has checked every pixel is opaque. */
  readonly opaque: boolean;
  /** Parallel deflate bands; by default as many as the machine's cores allow, up to four. */
  readonly bands?: number;
}

/** Bytes of one filtered scanline: the filter type, then RGB or RGBA. */
function scanlineBytes(width: number, opaque: boolean): number {
  return width * (opaque ? 3 : 4) + 1;
}

/**
 * Filtered scanlines `from` to `to` (exclusive) into `out` at row `from`: each row is its filter
 * byte, then the row minus the row above it, bytewise.
 */
export function upFilteredRows(
  image: RgbaImage,
  opaque: boolean,
  out = new Uint8Array(scanlineBytes(image.width, opaque) * image.height),
  from = 0,
  to = image.height,
): Uint8Array {
  const { width, data } = image;
  const rowBytes = scanlineBytes(width, opaque);
  const srcRow = width * 4;
  for (let y = from; y < to; y++) {
    let o = y * rowBytes;
    out[o++] = FILTER_UP;
    const r = y * srcRow;
    if (y === 0) {
      // Row 0's "row above" is zeros, so Up leaves it as it is.
      if (!opaque) out.set(data.subarray(0, srcRow), o);
      else
        for (let x = 0; x < srcRow; x += 4, o += 3) {
          out[o] = data[x]!;
          out[o + 1] = data[x + 1]!;
          out[o + 2] = data[x + 2]!;
        }
      continue;
    }
    const q = r - srcRow;
    if (opaque) {
      for (let x = 0; x < srcRow; x += 4, o += 3) {
        out[o] = data[r + x]! - data[q + x]!;
        out[o + 1] = data[r + x + 1]! - data[q + x + 1]!;
        out[o + 2] = data[r + x + 2]! - data[q + x + 2]!;
      }
    } else {
      for (let x = 0; x < srcRow; x++) out[o + x] = data[r + x]! - data[q + x]!;
    }
  }
  return out;
}

/**
 * Adler-32 (RFC 1950), the zlib stream's trailer; sums folded every 5552 bytes as zlib does.
 * Pass the previous value to continue over the next bytes.
 */
export function adler32(bytes: Uint8Array, previous = 1): number {
  let a = previous & 0xffff;
  let b = previous >>> 16;
  let i = 0;
  while (i < bytes.length) {
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function deflateBand(bytes: Uint8Array, last: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    deflateRaw(
      bytes,
      {
        level: 1,
        strategy: constants.Z_RLE,
        // One output buffer per band: the callback comes once, not once per 16 KiB.
        chunkSize: Math.max(64 * 1024, bytes.length + 1024),
        finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
      },
      (error, out) => (error ? reject(error) : resolve(out)),
    ),
  );
}

function bandCount(height: number, wanted?: number): number {
  const cap = wanted ?? Math.min(MAX_BANDS, availableParallelism());
  return Math.max(1, Math.min(cap, Math.floor(height / MIN_BAND_ROWS)));
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/**
 * Straight RGBA8 → PNG (8-bit RGB or RGBA, no interlace), byte-for-byte the same pixels.
 * Holds the filtered rows and the compressed bands: about the picture's size again, so the
 * caller keeps it for pictures that fit in memory and lets libvips stream the large ones.
 */
export async function writePng(image: RgbaImage, options: PngWriterOptions): Promise<Buffer> {
  const { width, height } = image;
  const rowBytes = scanlineBytes(width, options.opaque);
  const rows = new Uint8Array(rowBytes * height);
  const bands = bandCount(height, options.bands);
  const perBand = Math.ceil(height / bands);
  // Each band is filtered, handed to a libuv thread, then summed here while it compresses.
  const compressing: Promise<Buffer>[] = [];
  let checksum = 1;
  for (let i = 0; i < bands; i++) {
    const from = i * perBand;
    const to = Math.min(height, from + perBand);
    upFilteredRows(image, options.opaque, rows, from, to);
    const band = rows.subarray(from * rowBytes, to * rowBytes);
    compressing.push(deflateBand(band, i === bands - 1));
    checksum = adler32(band, checksum);
  }
  const parts = await Promise.all(compressing);

  const ihdr = new Uint8Array(13);
  const header = new DataView(ihdr.buffer);
  header.setUint32(0, width);
  header.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = options.opaque ? COLOUR_TYPE.rgb : COLOUR_TYPE.rgba;
  // Compression 0, filter method 0, no interlace: ihdr[10..12] stay 0.

  const deflated = parts.reduce((n, p) => n + p.length, 0);
  const zlib = new Uint8Array(2 + deflated + 4);
  // CMF 0x78: deflate, 32 KiB window; FLG 0x01: fastest level, no dictionary, check bits.
  zlib[0] = 0x78;
  zlib[1] = 0x01;
  let at = 2;
  for (const part of parts) {
    zlib.set(part, at);
    at += part.length;
  }
  new DataView(zlib.buffer).setUint32(at, checksum);

  const pieces = [
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib),
    chunk('IEND', new Uint8Array(0)),
  ];
  return Buffer.concat(pieces);
}
