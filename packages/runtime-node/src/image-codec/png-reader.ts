import { inflate } from 'node:zlib';
import type { RgbaImage } from '@loupe/shared';

/**
 * A small upload's PNG decoded here instead of by libvips, when it is the plain kind: 8-bit RGB
 * or RGBA, not interlaced, nothing that asks for colour management. On the small job
 * (a 384×216 photo) libvips took 6–10 ms to hand back RGBA, most of it setting up its pipeline;
 * this takes about a millisecond of inflate on libuv's thread and one unfiltering pass.
 *
 * Any other PNG (palette, grey, 16-bit, interlaced, tRNS, iCCP, gAMA, cHRM, eXIf), a file that
 * breaks a rule, or a large picture returns null and the caller decodes with libvips, which
 * also gives the proper error for a broken file: the two never disagree about a pixel.
 */

/** Above this the unfiltering pass would hold the event loop for more than a few ms. */
export const JS_PNG_MAX_PIXELS = 2_000_000;

const CHANNELS: Record<number, 3 | 4> = { 2: 3, 6: 4 };
/** Chunks whose meaning libvips acts on (colour) or that change what the pixels are. */
const NEEDS_LIBVIPS = new Set(['tRNS', 'iCCP', 'gAMA', 'cHRM', 'eXIf', 'sBIT', 'PLTE']);

interface Plain {
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
  readonly idat: Uint8Array[];
}

/** The IDAT chunks of a plain PNG, or null (see the module's note). CRCs are left to zlib's Adler-32. */
function plainPng(bytes: Uint8Array): Plain | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = (at: number) =>
    String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
  if (bytes.length < 45 || view.getUint32(8) !== 13 || type(8) !== 'IHDR') return null;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const channels = CHANNELS[bytes[25]!];
  const plain =
    channels !== undefined &&
    bytes[24] === 8 &&
    bytes[26] === 0 &&
    bytes[27] === 0 &&
    bytes[28] === 0 &&
    width > 0 &&
    height > 0 &&
    width * height <= JS_PNG_MAX_PIXELS;
  if (!plain) return null;
  const idat: Uint8Array[] = [];
  for (let at = 33; at + 12 <= bytes.length;) {
    const length = view.getUint32(at);
    const name = type(at);
    if (at + 12 + length > bytes.length) return null;
    if (name === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    else if (name === 'IEND') return idat.length ? { width, height, channels, idat } : null;
    else if (NEEDS_LIBVIPS.has(name)) return null;
    at += 12 + length;
  }
  return null;
}

function inflated(parts: Uint8Array[], expected: number): Promise<Buffer | null> {
  return new Promise((resolve) =>
    inflate(
      parts.length === 1 ? parts[0]! : Buffer.concat(parts),
      { chunkSize: Math.max(64 * 1024, expected + 1) },
      (error, out) => resolve(error ? null : out),
    ),
  );
}

/**
 * Undoes the five PNG filters row by row into straight RGBA (opaque for RGB). Returns false
 * when a row's filter type is not one of the five.
 */
function unfilter(raw: Uint8Array, p: Plain, out: Uint8Array): boolean {
  const { width, height, channels } = p;
  const stride = width * channels;
  const prev = new Uint8Array(stride);
  const cur = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const at = y * (stride + 1);
    if (!unfilterRow(raw[at]!, raw, at + 1, cur, prev, stride, channels)) return false;
    writeRgba(cur, out, y * width * 4, width, channels);
    prev.set(cur);
  }
  return true;
}

/** One row: a function of its own, so V8 optimises it from the first picture's first rows. */
function unfilterRow(
  filter: number,
  raw: Uint8Array,
  from: number,
  cur: Uint8Array,
  prev: Uint8Array,
  stride: number,
  bpp: number,
): boolean {
  switch (filter) {
    case 0:
      cur.set(raw.subarray(from, from + stride));
      return true;
    case 1:
      for (let i = 0; i < stride; i++) cur[i] = raw[from + i]! + (i >= bpp ? cur[i - bpp]! : 0);
      return true;
    case 2:
      for (let i = 0; i < stride; i++) cur[i] = raw[from + i]! + prev[i]!;
      return true;
    case 3:
      for (let i = 0; i < stride; i++)
        cur[i] = raw[from + i]! + (((i >= bpp ? cur[i - bpp]! : 0) + prev[i]!) >> 1);
      return true;
    case 4:
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? cur[i - bpp]! : 0;
        const b = prev[i]!;
        const c = i >= bpp ? prev[i - bpp]! : 0;
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        cur[i] = raw[from + i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      return true;
    default:
      return false;
  }
}

function writeRgba(row: Uint8Array, out: Uint8Array, at: number, width: number, channels: number) {
  if (channels === 4) {
    out.set(row, at);
    return;
  }
  for (let x = 0, s = 0, o = at; x < width; x++, s += 3, o += 4) {
    out[o] = row[s]!;
    out[o + 1] = row[s + 1]!;
    out[o + 2] = row[s + 2]!;
    out[o + 3] = 255;
  }
}

/** Straight RGBA of a plain PNG (see the module's note), or null for libvips to decode. */
export async function readPlainPng(bytes: Uint8Array): Promise<RgbaImage | null> {
  const p = plainPng(bytes);
  if (!p) return null;
  const expected = p.height * (p.width * p.channels + 1);
  const raw = await inflated(p.idat, expected);
  if (!raw || raw.length !== expected) return null;
  const data = new Uint8Array(p.width * p.height * 4);
  if (!unfilter(raw, p, data)) return null;
  return { width: p.width, height: p.height, data };
}
