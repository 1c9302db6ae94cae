import { Transform, type TransformCallback } from 'node:stream';
import { inflate } from 'node:zlib';
import {
  LoupeError,
  PNG_AFTER_IHDR,
  pngTextChunks,
  readPngText as readPngTextWith,
  startsWithPngHeader,
  type Inflate,
  type PngTextContents,
  type ReadPngTextOptions,
} from '@loupe/shared';

/**
 * PNG text on the server: the shared chunk reader with zlib's own output bound, and the two
 * ways text reaches a PNG libvips wrote: spliced into a buffer, or inserted while a large file
 * streams to disk (the file is never read back).
 */

/** zlib stops at `maxOutputLength` by itself, so a bomb costs at most the limit. */
const zlibInflate: Inflate = (zlib, maxBytes) =>
  new Promise((resolve, reject) =>
    inflate(zlib, { maxOutputLength: maxBytes }, (error, out) => {
      if (!error) resolve(out);
      else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') resolve(null);
      else reject(error);
    }),
  );

/**
 * The text chunks of a PNG before its pixels (tEXt, zTXt, iTXt), bounded: see the shared
 * `readPngText`. @example (await readPngText(bytes)).texts[0]?.keyword // 'parameters'
 */
export function readPngText(
  bytes: Uint8Array,
  options: Omit<ReadPngTextOptions, 'inflate'> = {},
): Promise<PngTextContents> {
  return readPngTextWith(bytes, { ...options, inflate: zlibInflate });
}

/** The chunks for an encoding's text, built (and checked) before any pixel is encoded. */
export function textChunksOf(text: Readonly<Record<string, string>> | undefined): Uint8Array[] {
  return text ? pngTextChunks(text) : [];
}

/**
 * Passes a PNG stream through with `chunks` after IHDR: holds back only the first 33 bytes.
 * A stream that does not start with a PNG signature and IHDR fails with IMAGE_CORRUPT.
 */
export class PngTextInserter extends Transform {
  private head: Buffer[] = [];
  private headBytes = 0;
  private inserted = false;
  /** Bytes passed on so far: the file's size once the stream has finished. */
  written = 0;

  constructor(private readonly chunks: readonly Uint8Array[]) {
    super();
  }

  override _transform(data: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.inserted) return done(null, this.count(data));
    this.head.push(data);
    this.headBytes += data.length;
    if (this.headBytes < PNG_AFTER_IHDR) return done();
    const all = Buffer.concat(this.head);
    this.head = [];
    if (!startsWithPngHeader(all))
      return done(new LoupeError('IMAGE_CORRUPT', 'The encoder did not write a PNG header'));
    this.inserted = true;
    this.push(this.count(all.subarray(0, PNG_AFTER_IHDR)));
    for (const chunk of this.chunks) this.push(this.count(Buffer.from(chunk)));
    done(null, this.count(all.subarray(PNG_AFTER_IHDR)));
  }

  override _flush(done: TransformCallback): void {
    done(this.inserted ? null : new LoupeError('IMAGE_CORRUPT', 'The PNG ended before its IHDR'));
  }

  private count(data: Buffer): Buffer {
    this.written += data.length;
    return data;
  }
}
