import { LoupeError } from '../api/loupe-error';
import { PNG_AFTER_IHDR, chunkTypeAt, crc32, pngChunk, startsWithPngHeader } from './png-chunks';
import { platformInflate, type Inflate } from './platform-inflate';
import { latin1Decode, utf8Decode, utf8Encode } from './text-bytes';

/**
 * PNG text chunks (PNG spec 11.3.4): how a picture carries its generation parameters under the
 * keyword `parameters`, as A1111 writes them and ComfyUI and the other SD tools read them.
 *
 * Which chunk we write, from what the readers do: A1111 (Pillow) decodes tEXt as Latin-1 and
 * iTXt as UTF-8, and writes iTXt itself when a text is not Latin-1; ComfyUI's front end
 * (src/scripts/metadata/png.ts) decodes both tEXt and iTXt bodies as UTF-8 and never inflates;
 * libvips (sharp's `metadata().comments`) also decodes tEXt as UTF-8 (a Latin-1 é comes back as
 * U+FFFD, runtime-node's png-text test shows it). So ASCII goes in tEXt (identical in every
 * reader), anything else in an uncompressed iTXt.
 */

/** Largest text body written or read (after inflating): a prompt is at most 10,000 characters. */
export const MAX_PNG_TEXT_BYTES = 1024 * 1024;
/** Text chunks read before the reader stops; A1111 writes one, ComfyUI two. */
export const MAX_PNG_TEXT_CHUNKS = 64;

export const PNG_TEXT_CHUNK_TYPES = ['tEXt', 'zTXt', 'iTXt'] as const;
export type PngTextChunkType = (typeof PNG_TEXT_CHUNK_TYPES)[number];

export interface PngText {
  readonly keyword: string;
  readonly text: string;
  readonly chunk: PngTextChunkType;
  /** iTXt only, when not empty: the text's language tag and the keyword translated into it. */
  readonly language?: string;
  readonly translatedKeyword?: string;
}

/** A text chunk the reader passed over, and why (damaged, compressed past the limit, …). */
export interface SkippedPngText {
  readonly chunk: string;
  readonly keyword?: string;
  readonly reason: string;
}

export interface PngTextContents {
  readonly texts: PngText[];
  readonly skipped: SkippedPngText[];
}

export interface ReadPngTextOptions {
  /** Inflates zTXt and compressed iTXt; by default the platform's DecompressionStream. */
  readonly inflate?: Inflate;
  readonly maxTextBytes?: number;
  readonly maxChunks?: number;
}

/**
 * Whether a keyword is one PNG allows: 1–79 Latin-1 printable characters, no leading, trailing
 * or doubled spaces (spec 11.3.4.2).
 */
export function isPngTextKeyword(keyword: string): boolean {
  if (keyword.length < 1 || keyword.length > 79) return false;
  if (keyword.startsWith(' ') || keyword.endsWith(' ') || keyword.includes('  ')) return false;
  for (let i = 0; i < keyword.length; i++) {
    const c = keyword.charCodeAt(i);
    if (!((c >= 32 && c <= 126) || (c >= 161 && c <= 255))) return false;
  }
  return true;
}

/** Text every reader decodes alike in a tEXt chunk: printable ASCII and line feeds. */
function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c === 10 || (c >= 32 && c <= 126))) return false;
  }
  return true;
}

/**
 * One text chunk, framed and checksummed, ready to sit between IHDR and IDAT: tEXt for plain
 * ASCII, otherwise an uncompressed UTF-8 iTXt (the module's note says why). Throws a LoupeError
 * for a keyword PNG does not allow, a NUL in the text, or a text over MAX_PNG_TEXT_BYTES.
 *
 * @example pngTextChunk('parameters', 'a red fox\nSteps: 28, Sampler: Euler, Seed: 1')
 */
export function pngTextChunk(keyword: string, text: string): Uint8Array {
  if (!isPngTextKeyword(keyword))
    throw new LoupeError('INVALID_REQUEST', `"${keyword}" is not a PNG text keyword`, [
      { path: 'text', message: '1–79 Latin-1 letters, no leading, trailing or double spaces' },
    ]);
  if (text.includes('\0'))
    throw new LoupeError('INVALID_REQUEST', `PNG text "${keyword}" contains a NUL character`, [
      { path: `text.${keyword}`, message: 'must not contain NUL' },
    ]);
  const ascii = isPlainAscii(text);
  const body = ascii ? latin1Bytes(text) : utf8Encode(text);
  if (body.length > MAX_PNG_TEXT_BYTES)
    throw new LoupeError(
      'INVALID_REQUEST',
      `PNG text "${keyword}" is ${body.length} bytes; the limit is ${MAX_PNG_TEXT_BYTES}`,
      [{ path: `text.${keyword}`, message: `at most ${MAX_PNG_TEXT_BYTES} bytes` }],
    );
  const key = latin1Bytes(keyword);
  // tEXt: keyword, NUL, text. iTXt: keyword, NUL, compression flag and method (0, 0), an empty
  // language tag and translated keyword (NUL each), text.
  const header = ascii ? key.length + 1 : key.length + 5;
  const chunk = new Uint8Array(header + body.length);
  chunk.set(key, 0);
  chunk.set(body, header);
  return pngChunk(ascii ? 'tEXt' : 'iTXt', chunk);
}

/** All of `text`'s entries as chunks, in order. */
export function pngTextChunks(text: Readonly<Record<string, string>>): Uint8Array[] {
  return Object.entries(text).map(([keyword, value]) => pngTextChunk(keyword, value));
}

/**
 * `png` with `chunks` inserted right after IHDR (a copy). Throws when `png` does not start with
 * a PNG signature and IHDR.
 */
export function withPngChunks(png: Uint8Array, chunks: readonly Uint8Array[]): Uint8Array {
  if (!startsWithPngHeader(png))
    throw new LoupeError('IMAGE_CORRUPT', 'Not a PNG: no signature and IHDR to add text after');
  const added = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(png.length + added);
  out.set(png.subarray(0, PNG_AFTER_IHDR), 0);
  let at = PNG_AFTER_IHDR;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  out.set(png.subarray(PNG_AFTER_IHDR), at);
  return out;
}

function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * The text chunks of a PNG, read up to its first IDAT (where A1111, ComfyUI and Loupe write them;
 * a reader that stops there never walks the pixels). Bounded: at most `maxChunks` text chunks,
 * each at most `maxTextBytes` before and after inflating. A damaged or oversized chunk is listed
 * in `skipped` with the reason and the rest is still read; bytes that end early (a file's head)
 * give what they hold. Throws a LoupeError only when the bytes are not a PNG.
 *
 * @example (await readPngText(bytes)).texts.find((t) => t.keyword === 'parameters')?.text
 */
export async function readPngText(
  bytes: Uint8Array,
  options: ReadPngTextOptions = {},
): Promise<PngTextContents> {
  if (!startsWithPngHeader(bytes))
    throw new LoupeError('UNSUPPORTED_MEDIA_TYPE', 'Not a PNG file: it has no PNG signature');
  const maxBytes = options.maxTextBytes ?? MAX_PNG_TEXT_BYTES;
  const maxChunks = options.maxChunks ?? MAX_PNG_TEXT_CHUNKS;
  const inflate = options.inflate ?? platformInflate;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const texts: PngText[] = [];
  const skipped: SkippedPngText[] = [];
  let seen = 0;
  for (let at = PNG_AFTER_IHDR; at + 8 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = chunkTypeAt(bytes, at);
    if (type === 'IDAT' || type === 'IEND') break;
    const end = at + 12 + length;
    if (isTextChunk(type)) {
      if (++seen > maxChunks) {
        skipped.push({ chunk: type, reason: `more than ${maxChunks} text chunks; stopped here` });
        break;
      }
      if (length > maxBytes) skipped.push({ chunk: type, reason: tooLarge(length, maxBytes) });
      else if (end > bytes.length)
        skipped.push({ chunk: type, reason: 'the file ends inside this chunk' });
      else if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length))
        skipped.push({ chunk: type, reason: 'its CRC does not match (the chunk is damaged)' });
      else {
        const read = await readTextBody(type, bytes.subarray(at + 8, at + 8 + length), {
          inflate,
          maxBytes,
        });
        if ('text' in read) texts.push(read);
        else skipped.push(read);
      }
    }
    at = end;
  }
  return { texts, skipped };
}

function isTextChunk(type: string): type is PngTextChunkType {
  return (PNG_TEXT_CHUNK_TYPES as readonly string[]).includes(type);
}

const tooLarge = (bytes: number, max: number) =>
  `${bytes} bytes of text; the limit is ${max} (not read)`;

async function readTextBody(
  chunk: PngTextChunkType,
  body: Uint8Array,
  { inflate, maxBytes }: { inflate: Inflate; maxBytes: number },
): Promise<PngText | SkippedPngText> {
  const nul = body.indexOf(0);
  if (nul < 1 || nul > 79) return { chunk, reason: 'it has no valid keyword' };
  const keyword = latin1Decode(body.subarray(0, nul));
  const damaged = (reason: string): SkippedPngText => ({ chunk, keyword, reason });
  const inflated = async (data: Uint8Array): Promise<Uint8Array | string> => {
    try {
      return (
        (await inflate(data, maxBytes)) ??
        `it inflates past the limit of ${maxBytes} bytes (not read)`
      );
    } catch {
      return 'its compressed text is damaged';
    }
  };
  switch (chunk) {
    case 'tEXt':
      return { chunk, keyword, text: latin1Decode(body.subarray(nul + 1)) };
    case 'zTXt': {
      if (body[nul + 1] !== 0) return damaged('unknown compression method');
      const text = await inflated(body.subarray(nul + 2));
      return typeof text === 'string'
        ? damaged(text)
        : { chunk, keyword, text: latin1Decode(text) };
    }
    case 'iTXt': {
      const compressed = body[nul + 1];
      if (compressed === undefined || compressed > 1 || (compressed === 1 && body[nul + 2] !== 0))
        return damaged('unknown compression flag or method');
      const languageEnd = body.indexOf(0, nul + 3);
      const translatedEnd = languageEnd < 0 ? -1 : body.indexOf(0, languageEnd + 1);
      if (translatedEnd < 0) return damaged('its language tag or translated keyword is cut off');
      const data = body.subarray(translatedEnd + 1);
      const text = compressed === 1 ? await inflated(data) : data;
      if (typeof text === 'string') return damaged(text);
      const language = latin1Decode(body.subarray(nul + 3, languageEnd));
      const translatedKeyword = utf8Decode(body.subarray(languageEnd + 1, translatedEnd));
      return {
        chunk,
        keyword,
        text: utf8Decode(text),
        ...(language ? { language } : {}),
        ...(translatedKeyword ? { translatedKeyword } : {}),
      };
    }
  }
}
