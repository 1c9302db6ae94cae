import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '@loupe/shared';
import { adler32, upFilteredRows, writePng } from '../src/image-codec/png-writer';

// The real photo the codec tests use (shipped with @upscalerjs/esrgan-thick, installed by tools/models).
const PHOTO = join(
  import.meta.dirname,
  '../../../tools/models/node_modules/@upscalerjs/esrgan-thick/assets/samples/8x/result.png',
);

interface Chunk {
  type: string;
  body: Buffer;
  crcOk: boolean;
}

/** The file's chunks, each with whether its CRC matches: read here, not by the writer's code. */
function chunksOf(png: Buffer): Chunk[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: Chunk[] = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    const crcOk =
      png.readUInt32BE(at + 8 + length) === crc32(png.subarray(at + 4, at + 8 + length));
    out.push({ type, body, crcOk });
    at += 12 + length;
  }
  return out;
}

async function decoded(png: Buffer): Promise<RgbaImage> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

function noise(width: number, height: number, opaque: boolean): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  let s = 0x9e3779b9;
  for (let i = 0; i < data.length; i++) {
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    data[i] = opaque && i % 4 === 3 ? 255 : s & 255;
  }
  return { width, height, data };
}

describe('writePng', () => {
  let photo: RgbaImage;
  beforeAll(async () => {
    photo = await decoded(await sharp(PHOTO).resize(300, 211).png().toBuffer());
  });

  it('decodes (libvips) to exactly the pixels it was given, for any size and number of bands', async () => {
    const cases: [string, RgbaImage][] = [
      ['1×1', noise(1, 1, false)],
      ['one wide row', noise(997, 1, true)],
      ['one tall column', noise(1, 517, false)],
      ['noise (incompressible)', noise(129, 257, false)],
      ['photo', photo],
    ];
    for (const [name, image] of cases) {
      for (const opaque of [false, true]) {
        // An opaque file drops alpha, so compare against the picture with alpha made opaque.
        const expected = opaque ? withOpaqueAlpha(image) : image;
        for (const bands of [1, 2, 3, 4]) {
          const back = await decoded(await writePng(expected, { opaque, bands }));
          expect([back.width, back.height], name).toEqual([image.width, image.height]);
          expect(
            Buffer.from(back.data).equals(Buffer.from(expected.data)),
            `${name} ${bands}`,
          ).toBe(true);
        }
      }
    }
  });

  it('is a well-formed file: IHDR, one IDAT whose zlib stream checks (Adler-32), IEND, every CRC right', async () => {
    const png = await writePng(photo, { opaque: false, bands: 3 });
    const chunks = chunksOf(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    const ihdr = chunks[0]!.body;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([
      300, 211, 8, 6,
    ]);
    // Node's inflate verifies the zlib header and the Adler-32 trailer.
    const idat = chunks[1]!.body;
    expect((idat[0]! * 256 + idat[1]!) % 31, 'zlib header check bits').toBe(0);
    const rows = inflateSync(idat);
    expect(rows.equals(Buffer.from(upFilteredRows(photo, false)))).toBe(true);
  });

  it('writes RGB for an opaque picture and RGBA otherwise', async () => {
    const colourType = async (image: RgbaImage, opaque: boolean) =>
      chunksOf(await writePng(image, { opaque }))[0]!.body[9];
    expect(await colourType(withOpaqueAlpha(photo), true)).toBe(2);
    expect(await colourType(photo, false)).toBe(6);
  });

  it("keeps each picture's rows apart while it reuses their buffer: at once, and larger then smaller", async () => {
    const pictures = [
      noise(300, 211, false),
      withOpaqueAlpha(photo),
      noise(64, 900, true),
      noise(7, 70, false),
    ];
    const expected = (image: RgbaImage, i: number) =>
      i % 2 === 1 ? withOpaqueAlpha(image) : image;
    // All at once: each holds its own buffer until its bands are compressed.
    const together = await Promise.all(
      pictures.map((p, i) => writePng(expected(p, i), { opaque: i % 2 === 1 })),
    );
    // One after another: the second and later reuse the first's buffer (or a larger one).
    for (const [i, picture] of pictures.entries()) {
      const alone = await writePng(expected(picture, i), { opaque: i % 2 === 1 });
      expect(alone.equals(together[i]!), `picture ${i}`).toBe(true);
      const back = await decoded(alone);
      expect(
        Buffer.from(back.data).equals(Buffer.from(expected(picture, i).data)),
        `picture ${i}`,
      ).toBe(true);
    }
  });

  it("matches runs where there are runs: a flat picture is a few KiB, not Huffman-only's bit per byte", async () => {
    const width = 1024;
    const height = 512;
    const data = new Uint8Array(width * height * 4);
    for (let i = 0; i < data.length; i += 4) {
      const block = (((i / 4) % width) >> 6) + (Math.floor(i / 4 / width) >> 6);
      data.set([(block % 3) * 80, 200 - (block % 3) * 50, 30, 255], i);
    }
    const png = await writePng({ width, height, data }, { opaque: true });
    // Huffman-only coding cannot go under one bit per byte: 1024×512×3 / 8 = 192 KiB.
    expect(png.length).toBeLessThan((width * height * 3) / 8 / 4);
    expect(Buffer.from((await decoded(png)).data).equals(Buffer.from(data))).toBe(true);
  });

  it('compresses a photo to well under its raw size', async () => {
    const image = withOpaqueAlpha(photo);
    const png = await writePng(image, { opaque: true });
    expect(png.length).toBeLessThan(image.width * image.height * 3 * 0.8);
  });
});

describe('adler32', () => {
  it('matches the values RFC 1950 implementations give', () => {
    expect(adler32(new Uint8Array(0))).toBe(1);
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    // Long enough to fold the sums many times (5552-byte blocks).
    const zeros = new Uint8Array(100_000).fill(255);
    let a = 1;
    let b = 0;
    for (const x of zeros) {
      a = (a + x) % 65521;
      b = (b + a) % 65521;
    }
    expect(adler32(zeros)).toBe(((b << 16) | a) >>> 0);
  });
});

function withOpaqueAlpha(image: RgbaImage): RgbaImage {
  const data = image.data.slice();
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { ...image, data };
}
