import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_PNG_TEXT_BYTES,
  formatSdParameters,
  parseSdParameters,
  pngChunk,
  withPngChunks,
  type OutputEncoding,
  type RgbaImage,
} from '@loupe/shared';
import { PngTextInserter, encodeImage, encodeImageToFile, readPngText } from '../src/image-codec';

// The real photo the codec tests use (shipped with @upscalerjs/esrgan-thick, installed by tools/models).
const PHOTO = join(
  import.meta.dirname,
  '../../../tools/models/node_modules/@upscalerjs/esrgan-thick/assets/samples/8x/result.png',
);

const PARAMETERS = formatSdParameters({
  prompt: 'a hibiscus flower, macro photo, dew drops',
  negativePrompt: 'blurry, lowres',
  steps: 28,
  guidance: 7.5,
  seed: 42,
  width: 512,
  height: 512,
  scheduler: 'dpmpp-2m',
  karras: true,
  strength: 0.8,
  model: { id: 'sd15', sha256: 'f'.repeat(64) },
});
const UNICODE =
  '夜の東京、ネオン — «café» ☕\nNegative prompt: ぼやけた\nSteps: 4, Sampler: LCM, Seed: 1';

/** Chunk types in order and whether every CRC matches, checked with zlib's crc32. */
function chunkTypes(png: Buffer): { types: string[]; crcsOk: boolean } {
  const types: string[] = [];
  let crcsOk = true;
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    types.push(png.toString('latin1', at + 4, at + 8));
    crcsOk &&= png.readUInt32BE(at + 8 + length) === crc32(png.subarray(at + 4, at + 8 + length));
    at += 12 + length;
  }
  return { types, crcsOk };
}

async function pixels(png: Buffer | string): Promise<Buffer> {
  return sharp(png).ensureAlpha().raw().toBuffer();
}

/** What libvips reads from the file's text chunks. */
async function vipsComments(png: Buffer | string) {
  return (await sharp(png).metadata()).comments ?? [];
}

let photo: RgbaImage;
let translucent: RgbaImage;
let dir: string;

beforeAll(async () => {
  const { data, info } = await sharp(PHOTO)
    .resize(320, 240)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  photo = { width: info.width, height: info.height, data: new Uint8Array(data) };
  const faded = new Uint8Array(data);
  for (let i = 3; i < faded.length; i += 4) faded[i] = (i * 7) & 0xff;
  translucent = { ...photo, data: faded };
  dir = await mkdtemp(join(tmpdir(), 'loupe-png-text-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const png = (compression: OutputEncoding['compression'], text?: Record<string, string>) =>
  ({ format: 'png', quality: 90, compression, ...(text ? { text } : {}) }) as OutputEncoding;

// `fast` is Loupe's own writer; `balanced` is libvips in memory, and streaming to a file.
const PATHS = [
  ['own writer', (img: RgbaImage, o: OutputEncoding) => encodeImage(img, o)],
  [
    'libvips in memory',
    (img: RgbaImage, o: OutputEncoding) => encodeImage(img, { ...o, compression: 'balanced' }),
  ],
  [
    'libvips streamed to a file',
    async (img: RgbaImage, o: OutputEncoding) => {
      const path = join(dir, `${Math.random().toString(36).slice(2)}.png`);
      const size = await encodeImageToFile(img, { ...o, compression: 'balanced' }, path);
      const bytes = await readFile(path);
      expect(size).toBe(bytes.length);
      return bytes;
    },
  ],
  [
    'own writer to a file',
    async (img: RgbaImage, o: OutputEncoding) => {
      const path = join(dir, `${Math.random().toString(36).slice(2)}.png`);
      await encodeImageToFile(img, o, path);
      return readFile(path);
    },
  ],
] as const;

describe.each(PATHS)('PNG text through the %s', (_, encode) => {
  it('writes `parameters` after IHDR; libvips and readPngText read it back; pixels unchanged', async () => {
    for (const image of [photo, translucent]) {
      const bytes = await encode(image, png('fast', { parameters: PARAMETERS, Software: 'Loupe' }));
      const plain = await encode(image, png('fast'));
      const { types, crcsOk } = chunkTypes(bytes);
      expect(crcsOk).toBe(true);
      expect(types.slice(0, 3)).toEqual(['IHDR', 'tEXt', 'tEXt']);
      expect(types.filter((t) => t === 'tEXt')).toHaveLength(2);
      expect(await vipsComments(bytes)).toEqual([
        { keyword: 'parameters', text: PARAMETERS },
        { keyword: 'Software', text: 'Loupe' },
      ]);
      expect((await readPngText(bytes)).texts.map((t) => [t.keyword, t.text])).toEqual([
        ['parameters', PARAMETERS],
        ['Software', 'Loupe'],
      ]);
      // Buffer.equals: a deep toEqual over 300,000 bytes takes seconds.
      const decoded = await pixels(bytes);
      expect(decoded.equals(await pixels(plain))).toBe(true);
      expect(decoded.equals(image.data)).toBe(true);
      expect(chunkTypes(plain).types).not.toContain('tEXt');
    }
  });

  it('carries a prompt that is not Latin-1 in iTXt, and it parses back to the same params', async () => {
    const bytes = await encode(photo, png('fast', { parameters: UNICODE }));
    const { types, crcsOk } = chunkTypes(bytes);
    expect(crcsOk).toBe(true);
    expect(types[1]).toBe('iTXt');
    const [read] = (await readPngText(bytes)).texts;
    expect(read).toEqual({ chunk: 'iTXt', keyword: 'parameters', text: UNICODE });
    expect(await vipsComments(bytes)).toEqual([{ keyword: 'parameters', text: UNICODE }]);
    expect(parseSdParameters(read!.text).params).toEqual(parseSdParameters(UNICODE).params);
    expect(parseSdParameters(read!.text).params.prompt).toBe('夜の東京、ネオン — «café» ☕');
  });

  it('refuses text over the limit before writing anything', async () => {
    const huge = { parameters: 'x'.repeat(MAX_PNG_TEXT_BYTES + 1) };
    await expect(encode(photo, png('fast', huge))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(encode(photo, png('fast', { 'bad  key': 'x' }))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });
});

describe('encodeImageToFile with text', () => {
  it('leaves no file behind when the text is refused', async () => {
    const path = join(dir, 'refused.png');
    const huge = { parameters: 'x'.repeat(MAX_PNG_TEXT_BYTES + 1) };
    await expect(encodeImageToFile(photo, png('balanced', huge), path)).rejects.toThrow();
    expect(existsSync(path)).toBe(false);
  });
});

describe('other formats', () => {
  it('ignore the text (WebP and JPEG carry none yet) and still encode', async () => {
    const jpeg = await encodeImage(photo, {
      format: 'jpeg',
      quality: 80,
      compression: 'fast',
      text: { parameters: 'x' },
    });
    expect((await sharp(jpeg).metadata()).format).toBe('jpeg');
    expect((await sharp(jpeg).metadata()).comments).toBeUndefined();
  });
});

describe('readPngText on the server', () => {
  it('reads what another tool wrote: zTXt and compressed iTXt, inflated by zlib', async () => {
    const base = await sharp(PHOTO).resize(16, 16).png().toBuffer();
    const latin1 = Buffer.from(
      'Steps: 20, Sampler: Euler a, Seed: 1, Size: 16x16, Note: é',
      'latin1',
    );
    const withText = withPngChunks(base, [
      pngChunk('zTXt', Buffer.concat([Buffer.from('parameters\0\0'), deflateSync(latin1)])),
      pngChunk(
        'iTXt',
        Buffer.concat([
          Buffer.from('workflow\0\x01\0\0\0'),
          deflateSync(Buffer.from('{"節点":1}')),
        ]),
      ),
    ]);
    const read = await readPngText(withText);
    expect(read.texts).toEqual([
      { chunk: 'zTXt', keyword: 'parameters', text: latin1.toString('latin1') },
      { chunk: 'iTXt', keyword: 'workflow', text: '{"節点":1}' },
    ]);
    // libvips decodes tEXt and zTXt as UTF-8, so the é that Latin-1 allows comes back as U+FFFD:
    // one more reader that is why Loupe writes only ASCII in tEXt.
    const [vips] = await vipsComments(Buffer.from(withText));
    expect(vips?.text).toBe('Steps: 20, Sampler: Euler a, Seed: 1, Size: 16x16, Note: \ufffd');
  });

  it('stops a zTXt that inflates past the limit at the limit', async () => {
    const base = await sharp(PHOTO).resize(16, 16).png().toBuffer();
    const bomb = deflateSync(Buffer.alloc(8 * MAX_PNG_TEXT_BYTES));
    expect(bomb.length).toBeLessThan(MAX_PNG_TEXT_BYTES);
    const read = await readPngText(
      withPngChunks(base, [pngChunk('zTXt', Buffer.concat([Buffer.from('bomb\0\0'), bomb]))]),
    );
    expect(read.texts).toEqual([]);
    expect(read.skipped).toEqual([
      {
        chunk: 'zTXt',
        keyword: 'bomb',
        reason: `it inflates past the limit of ${MAX_PNG_TEXT_BYTES} bytes (not read)`,
      },
    ]);
  });
});

describe('PngTextInserter', () => {
  const run = async (pieces: Buffer[], chunks: Uint8Array[]) => {
    const inserter = new PngTextInserter(chunks);
    const out: Buffer[] = [];
    inserter.on('data', (piece: Buffer) => out.push(piece));
    await pipeline(Readable.from(pieces), inserter);
    return { bytes: Buffer.concat(out), written: inserter.written };
  };

  it('inserts after IHDR however the encoder splits its output, and counts the bytes', async () => {
    const base = await sharp(PHOTO).resize(16, 16).png().toBuffer();
    const chunk = pngChunk('tEXt', Buffer.from('parameters\0x'));
    const expected = Buffer.from(withPngChunks(base, [chunk]));
    const bytewise = [...base].map((b) => Buffer.of(b));
    for (const pieces of [[base], bytewise, [base.subarray(0, 40), base.subarray(40)]]) {
      const { bytes, written } = await run(pieces, [chunk]);
      expect(bytes.equals(expected)).toBe(true);
      expect(written).toBe(expected.length);
    }
  });

  it('fails a stream that is not a PNG, or ends before IHDR', async () => {
    await expect(run([Buffer.alloc(64, 1)], [])).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
    await expect(run([Buffer.alloc(10, 1)], [])).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
  });
});
