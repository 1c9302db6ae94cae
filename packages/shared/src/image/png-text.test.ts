import { describe, expect, it } from 'vitest';
import { LoupeError } from '../api/loupe-error';
import { PNG_AFTER_IHDR, PNG_SIGNATURE, crc32, pngChunk } from './png-chunks';
import {
  MAX_PNG_TEXT_BYTES,
  pngTextChunk,
  readPngText,
  withPngChunks,
  type PngTextContents,
} from './png-text';

const bytes = (...parts: (string | number[] | Uint8Array)[]) =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : [...p])),
  );
const utf8 = (s: string) =>
  new (
    globalThis as unknown as { TextEncoder: new () => { encode(s: string): Uint8Array } }
  ).TextEncoder().encode(s);
const hex = (h: string) => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16));

/** zlib streams written by CPython's zlib.compress, independent of the reader's inflater. */
const ZLIB = {
  /** 'deflated é' in Latin-1 */
  latin1: hex('789c4b494dcb492c494d5178090016160443'),
  /** 'сжатый текст' in UTF-8 */
  cyrillic: hex('789c011700e8ffd181d0b6d0b0d182d18bd0b920d182d0b5d0bad181d182bf1e0fb8'),
  /** 5000 zero bytes in 28 */
  zeros: hex('789cedc13101000000c2a0f54f6d0a3fa00000000080b70113880001'),
};

const ihdr = pngChunk('IHDR', bytes([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
const idat = pngChunk('IDAT', bytes([1, 2, 3]));
const iend = pngChunk('IEND', new Uint8Array(0));
/** A PNG's framing around `chunks` (the reader never looks inside IDAT). */
const png = (...chunks: Uint8Array[]) => bytes(PNG_SIGNATURE, ihdr, ...chunks, idat, iend);

const texts = (c: PngTextContents) => c.texts.map((t) => [t.chunk, t.keyword, t.text]);

describe('crc32', () => {
  it('gives the standard check values', () => {
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926);
    expect(crc32(bytes('IEND'))).toBe(0xae426082);
    expect(crc32(bytes('6789'), crc32(bytes('12345')))).toBe(0xcbf43926);
  });
});

describe('pngTextChunk', () => {
  it('writes plain ASCII as tEXt: keyword, NUL, text, and the CRC of type and body', () => {
    const chunk = pngTextChunk('parameters', 'a fox\nSteps: 2');
    const body = bytes('parameters', [0], 'a fox\nSteps: 2');
    const view = new DataView(chunk.buffer);
    expect(view.getUint32(0)).toBe(25);
    expect(chunk.subarray(4, 8)).toEqual(bytes('tEXt'));
    expect(chunk.subarray(8, 33)).toEqual(body);
    expect(view.getUint32(33)).toBe(crc32(bytes('tEXt', body)));
    expect(chunk.length).toBe(37);
  });

  it('writes anything else (Latin-1 accents too) as uncompressed UTF-8 iTXt', () => {
    for (const text of ['café au lait', '夜の東京 ☕', 'tab\there']) {
      const chunk = pngTextChunk('parameters', text);
      expect(String.fromCharCode(...chunk.subarray(4, 8))).toBe('iTXt');
      expect(chunk.subarray(8, chunk.length - 4)).toEqual(
        bytes('parameters', [0, 0, 0, 0, 0], utf8(text)),
      );
    }
  });

  it('refuses a keyword PNG does not allow, a NUL, and text over the limit', () => {
    const code = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return e instanceof LoupeError ? e.code : String(e);
      }
    };
    expect(code(() => pngTextChunk('', 'x'))).toBe('INVALID_REQUEST');
    expect(code(() => pngTextChunk(' lead', 'x'))).toBe('INVALID_REQUEST');
    expect(code(() => pngTextChunk('two  spaces', 'x'))).toBe('INVALID_REQUEST');
    expect(code(() => pngTextChunk('k'.repeat(80), 'x'))).toBe('INVALID_REQUEST');
    expect(code(() => pngTextChunk('ключ', 'x'))).toBe('INVALID_REQUEST');
    expect(code(() => pngTextChunk('parameters', 'a\0b'))).toBe('INVALID_REQUEST');
    expect(code(() => pngTextChunk('parameters', 'x'.repeat(MAX_PNG_TEXT_BYTES + 1)))).toBe(
      'INVALID_REQUEST',
    );
    expect(code(() => pngTextChunk('parameters', 'é'.repeat(MAX_PNG_TEXT_BYTES / 2)))).toBe('ok');
  });
});

describe('withPngChunks', () => {
  it('puts the chunks right after IHDR and keeps every other byte', () => {
    const original = png();
    const chunk = pngTextChunk('Comment', 'hi');
    const out = withPngChunks(original, [chunk]);
    expect(out.subarray(0, PNG_AFTER_IHDR)).toEqual(original.subarray(0, PNG_AFTER_IHDR));
    expect(out.subarray(PNG_AFTER_IHDR, PNG_AFTER_IHDR + chunk.length)).toEqual(chunk);
    expect(out.subarray(PNG_AFTER_IHDR + chunk.length)).toEqual(original.subarray(PNG_AFTER_IHDR));
    expect(() => withPngChunks(bytes('GIF89a', new Array(40).fill(0)), [chunk])).toThrow(
      LoupeError,
    );
  });
});

describe('readPngText', () => {
  it('reads tEXt as Latin-1, zTXt, and iTXt compressed or not, with language tags', async () => {
    const read = await readPngText(
      png(
        pngChunk('tEXt', bytes('Title', [0], 'caf', [0xe9])),
        pngChunk('zTXt', bytes('Comment', [0, 0], ZLIB.latin1)),
        pngChunk(
          'iTXt',
          bytes('parameters', [0, 1, 0], 'ru', [0], utf8('описание'), [0], ZLIB.cyrillic),
        ),
        pngTextChunk('Author', '夜'),
      ),
    );
    expect(texts(read)).toEqual([
      ['tEXt', 'Title', 'café'],
      ['zTXt', 'Comment', 'deflated é'],
      ['iTXt', 'parameters', 'сжатый текст'],
      ['iTXt', 'Author', '夜'],
    ]);
    expect(read.texts[2]).toMatchObject({ language: 'ru', translatedKeyword: 'описание' });
    expect(read.texts[3]).not.toHaveProperty('language');
    expect(read.skipped).toEqual([]);
  });

  it('stops at the pixels: text after IDAT is not read', async () => {
    const after = bytes(PNG_SIGNATURE, ihdr, idat, pngTextChunk('late', 'x'), iend);
    expect((await readPngText(after)).texts).toEqual([]);
  });

  it('skips a damaged, oversized, cut-off or inflating-too-far chunk, says why, reads the rest', async () => {
    const good = pngTextChunk('parameters', 'kept');
    const damaged = pngTextChunk('Comment', 'flipped');
    damaged[12] = damaged[12]! ^ 1;
    const bomb = pngChunk('zTXt', bytes('Bomb', [0, 0], ZLIB.zeros));
    const garbage = pngChunk('zTXt', bytes('Garbage', [0, 0], [1, 2, 3, 4]));
    const read = await readPngText(
      png(damaged, bomb, garbage, pngTextChunk('Big', 'x'.repeat(300)), good),
      {
        maxTextBytes: 256,
      },
    );
    expect(texts(read)).toEqual([['tEXt', 'parameters', 'kept']]);
    expect(read.skipped).toEqual([
      { chunk: 'tEXt', reason: 'its CRC does not match (the chunk is damaged)' },
      {
        chunk: 'zTXt',
        keyword: 'Bomb',
        reason: 'it inflates past the limit of 256 bytes (not read)',
      },
      { chunk: 'zTXt', keyword: 'Garbage', reason: 'its compressed text is damaged' },
      { chunk: 'tEXt', reason: '304 bytes of text; the limit is 256 (not read)' },
    ]);

    const whole = png(good, pngTextChunk('Second', 'y'));
    const head = whole.subarray(0, PNG_AFTER_IHDR + good.length + 10);
    const cut = await readPngText(head);
    expect(texts(cut)).toEqual([['tEXt', 'parameters', 'kept']]);
    expect(cut.skipped).toEqual([{ chunk: 'tEXt', reason: 'the file ends inside this chunk' }]);
  });

  it('reads at most maxChunks text chunks, and refuses bytes that are not a PNG', async () => {
    const many = png(...Array.from({ length: 5 }, (_, i) => pngTextChunk(`k${i}`, `${i}`)));
    const read = await readPngText(many, { maxChunks: 3 });
    expect(read.texts.map((t) => t.keyword)).toEqual(['k0', 'k1', 'k2']);
    expect(read.skipped).toEqual([
      { chunk: 'tEXt', reason: 'more than 3 text chunks; stopped here' },
    ]);
    await expect(readPngText(bytes('GIF89a', new Array(40).fill(0)))).rejects.toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  });
});
