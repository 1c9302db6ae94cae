import { constants, crc32, deflateRaw } from 'node:zlib';
import { pngTextChunks, type RgbaImage } from '@loupe/shared';

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
  /** Parallel deflate bands; by default four (libuv's threads), fewer for short pictures. */
  readonly bands?: number;
  /** Text chunks after IHDR, keyword → text (tEXt or iTXt: see the shared `pngTextChunk`). */
  readonly text?: Readonly<Record<string, string>>;
}

/** Bytes of one filtered scanline: the filter type, then RGB or RGBA. */
function scanlineBytes(width: number, opaque: boolean): number {
  return width * (opaque ? 3 : 4) + 1;
}

/**
 * One row minus the row above (`q`), bytewise, RGBA in and RGB (`opaque`) or RGBA out; `q < 0`
 * for row 0, whose row above is zeros. A function per row, not one loop over the picture: V8
 * optimises a function by its calls, so this one is fast from the first picture's first rows
 * (a single loop over the picture stayed in slow code for the first ~30 pictures: 22 ms against
 * 6 ms for 1536×864).
 */
function filterRow(
  src: Uint8Array,
  s: number,
  q: number,
  width: number,
  out: Uint8Array,
  o: number,
  opaque: boolean,
): void {
  const end = s + width * 4;
  if (!opaque) {
    if (q < 0) out.set(src.subarray(s, end), o);
    else for (; s < end; s++, q++, o++) out[o] = src[s]! - src[q]!;
  } else if (q < 0) {
    for (; s < end; s += 4, o += 3) {
      out[o] = src[s]!;
      out[o + 1] = src[s + 1]!;
      out[o + 2] = src[s + 2]!;
    }
  } else {
    for (; s < end; s += 4, q += 4, o += 3) {
      out[o] = src[s]! - src[q]!;
      out[o + 1] = src[s + 1]! - src[q + 1]!;
      out[o + 2] = src[s + 2]! - src[q + 2]!;
    }
  }
}

/**
 * Filtered scanlines `from` to `to` (exclusive) into `out` at row `from`: each row is its filter
 * byte, then the row minus the row above it, bytewise.
 */
export function upFilteredRows(
  image: RgbaImage,
  opaque: boolean,
  into?: Uint8Array,
  from = 0,
  to = image.height,
): Uint8Array {
  const { width } = image;
  const rowBytes = scanlineBytes(width, opaque);
  const out = into ?? new Uint8Array(rowBytes * image.height);
  // A plain byte view: V8 reads a Uint8ClampedArray slower in a hot loop.
  const src = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const srcRow = width * 4;
  for (let y = from; y < to; y++) {
    out[y * rowBytes] = FILTER_UP;
    filterRow(
      src,
      y * srcRow,
      y === 0 ? -1 : (y - 1) * srcRow,
      width,
      out,
      y * rowBytes + 1,
      opaque,
    );
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

/**
 * The share of bytes that continue a run of four or more equal bytes, in every 8th filtered row
 * of a band: whether run-length matching is worth its time. Measured on 1536×864-class
 * pictures (bench/encode-settings.ts): a flat picture (share 0.87) is 30 KiB with Z_RLE against
 * 500 KiB Huffman-only, a screenshot (0.95) 364 against 771 KiB, the slim ×4 photo result
 * (0.13) 974 against 1139 KiB; an Anime4K result (0.02) is the same size either way, and
 * Huffman-only takes 6 ms instead of 10.
 */
export function runShare(band: Uint8Array, rowBytes: number): number {
  let inRuns = 0;
  let seen = 0;
  for (let row = 0; row < band.length; row += rowBytes * 8) {
    const end = Math.min(band.length, row + rowBytes);
    // Byte 0 of a row is its filter type.
    let run = 1;
    for (let i = row + 2; i < end; i++) {
      run = band[i] === band[i - 1] ? run + 1 : 1;
      if (run >= 4) inRuns++;
    }
    seen += end - row - 1;
  }
  return seen === 0 ? 0 : inRuns / seen;
}

/** Above this share of bytes in runs, runs are worth matching (see `runShare`). */
const RUNS_WORTH_MATCHING = 0.05;

function deflateBand(bytes: Uint8Array, last: boolean, runs: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    deflateRaw(
      bytes,
      {
        level: 1,
        strategy: runs ? constants.Z_RLE : constants.Z_HUFFMAN_ONLY,
        // Output buffers of about what a photo's band compresses to: a few callbacks, not one
        // per 16 KiB, and no band-sized buffer that fresh pages would have to back.
        chunkSize: Math.max(64 * 1024, Math.ceil(bytes.length / 3)),
        finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
      },
      (error, out) => (error ? reject(error) : resolve(out)),
    ),
  );
}

/**
 * The filtered rows' buffer, kept for the next picture. Touching fresh pages is most of a
 * large allocation's cost (on the VM this was measured on, ~18 ms for 4 MiB, as long as the
 * filtering itself), and a server writes pictures of similar sizes one after another.
 */
class ScratchBuffers {
  private free: Uint8Array[] = [];
  /** At most this many bytes are kept between pictures. */
  constructor(private readonly keepBytes: number) {}

  take(bytes: number): Uint8Array {
    const i = this.free.findIndex((b) => b.length >= bytes);
    if (i < 0) return new Uint8Array(bytes);
    const [buffer] = this.free.splice(i, 1);
    return buffer!.subarray(0, bytes);
  }

  give(view: Uint8Array): void {
    const buffer = new Uint8Array(view.buffer);
    if (buffer.length > this.keepBytes) return;
    this.free.push(buffer);
    this.free.sort((a, b) => a.length - b.length);
    let kept = this.free.reduce((n, b) => n + b.length, 0);
    // The smallest go first: the next picture is likelier to be as large as the last one.
    while (kept > this.keepBytes) kept -= this.free.shift()!.length;
  }
}

/** 32 MiB: the rows of an 8 MP RGBA picture; larger ones are rarer and pay for their pages. */
const scratch = new ScratchBuffers(32 * 1024 * 1024);

function bandCount(height: number, wanted?: number): number {
  // As many as libuv has threads even on fewer cores: smaller bands start compressing sooner,
  // beside the main thread's filtering of the next one (2 cores: 22 against 26 ms).
  const cap = wanted ?? MAX_BANDS;
  return Math.max(1, Math.min(cap, Math.floor(height / MIN_BAND_ROWS)));
}

/** A chunk at `at`: length, type, the body `fill` writes, CRC-32 of type and body; returns its end. */
function writeChunk(
  png: Buffer,
  at: number,
  type: string,
  length: number,
  fill: (body: Buffer) => void,
): number {
  png.writeUInt32BE(length, at);
  png.write(type, at + 4, 'latin1');
  fill(png.subarray(at + 8, at + 8 + length));
  png.writeUInt32BE(crc32(png.subarray(at + 4, at + 8 + length)), at + 8 + length);
  return at + 12 + length;
}

/**
 * Straight RGBA8 → PNG (8-bit RGB or RGBA, no interlace), byte-for-byte the same pixels.
 * Holds the filtered rows and the compressed bands: about the picture's size again, so the
 * caller keeps it for pictures that fit in memory and lets libvips stream the large ones.
 */
export async function writePng(image: RgbaImage, options: PngWriterOptions): Promise<Buffer> {
  const { width, height } = image;
  // Built first: a keyword or text PNG cannot hold fails before any pixel is compressed.
  const text = options.text ? pngTextChunks(options.text) : [];
  const textBytes = text.reduce((n, c) => n + c.length, 0);
  const rowBytes = scanlineBytes(width, options.opaque);
  const rows = scratch.take(rowBytes * height);
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
    const runs = runShare(band, rowBytes) > RUNS_WORTH_MATCHING;
    compressing.push(deflateBand(band, i === bands - 1, runs));
    checksum = adler32(band, checksum);
  }
  const parts = await Promise.all(compressing).finally(() => scratch.give(rows));

  // The file is assembled in one buffer: every extra copy of a large result is fresh pages.
  const deflated = parts.reduce((n, p) => n + p.length, 0);
  const idatBytes = 2 + deflated + 4;
  const png = Buffer.allocUnsafe(SIGNATURE.length + (12 + 13) + textBytes + (12 + idatBytes) + 12);
  png.set(SIGNATURE, 0);
  let at = SIGNATURE.length;
  at = writeChunk(png, at, 'IHDR', 13, (body) => {
    body.writeUInt32BE(width, 0);
    body.writeUInt32BE(height, 4);
    body[8] = 8;
    body[9] = options.opaque ? COLOUR_TYPE.rgb : COLOUR_TYPE.rgba;
    // Compression 0, filter method 0, no interlace.
    body[10] = body[11] = body[12] = 0;
  });
  for (const chunk of text) {
    png.set(chunk, at);
    at += chunk.length;
  }
  at = writeChunk(png, at, 'IDAT', idatBytes, (body) => {
    // CMF 0x78: deflate, 32 KiB window; FLG 0x01: fastest level, no dictionary, check bits.
    body[0] = 0x78;
    body[1] = 0x01;
    let o = 2;
    for (const part of parts) {
      body.set(part, o);
      o += part.length;
    }
    body.writeUInt32BE(checksum, o);
  });
  writeChunk(png, at, 'IEND', 0, () => {});
  return png;
}
