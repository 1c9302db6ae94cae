import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../src/image-codec';
import { JS_PNG_MAX_PIXELS, readPlainPng } from '../src/image-codec/png-reader';

// The real photo the codec tests use (shipped with @upscalerjs/esrgan-thick, installed by tools/models).
const PHOTO = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../tools/models/node_modules/@upscalerjs/esrgan-thick/assets/samples/8x/result.png',
);
const photo = (width: number, height: number) =>
  sharp(PHOTO).resize(width, height, { fit: 'cover' });

/** libvips's straight RGBA of a file: what the server decoded before this reader. */
async function vipsRgba(png: Uint8Array) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length);
  head.write(type, 4, 'latin1');
  let c = 0xffffffff;
  for (const byte of [...head.subarray(4), ...body]) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return Buffer.concat([head, body, crc]);
}

/**
 * A PNG written by this test, row y with filter `filters[y % n]`, from the spec's forward
 * filters (written here independently of the reader's inverse).
 */
function pngWithFilters(
  rgb: Uint8Array,
  width: number,
  height: number,
  channels: 3 | 4,
  filters: number[],
  extra: Buffer[] = [],
) {
  const stride = width * channels;
  const raw = Buffer.alloc(height * (stride + 1));
  const at = (y: number, i: number) => (y < 0 || i < 0 ? 0 : rgb[y * stride + i]!);
  for (let y = 0; y < height; y++) {
    const f = filters[y % filters.length]!;
    raw[y * (stride + 1)] = f;
    for (let i = 0; i < stride; i++) {
      const x = at(y, i);
      const a = at(y, i - channels);
      const b = at(y - 1, i);
      const c = at(y - 1, i - channels);
      const p = a + b - c;
      const pred = [
        0,
        a,
        b,
        (a + b) >> 1,
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c,
      ][f]!;
      raw[y * (stride + 1) + 1 + i] = (x - pred) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = channels === 4 ? 6 : 2;
  const z = deflateSync(raw);
  // Split into two IDATs: the reader must join them.
  const half = z.length >> 1;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...extra,
    chunk('IDAT', z.subarray(0, half)),
    chunk('IDAT', z.subarray(half)),
    chunk('tEXt', Buffer.from('Comment\0after the pixels')),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('readPlainPng', () => {
  it('gives exactly libvips pixels for libvips-written RGB and RGBA PNGs of every shape', async () => {
    for (const [width, height] of [
      [1, 1],
      [1, 7],
      [7, 1],
      [37, 19],
      [384, 216],
    ] as const) {
      for (const alpha of [false, true]) {
        for (const adaptiveFiltering of [false, true]) {
          let img = photo(width, height);
          img = alpha ? img.ensureAlpha(0.6) : img.removeAlpha();
          const png = await img.png({ adaptiveFiltering, compressionLevel: 6 }).toBuffer();
          const mine = await readPlainPng(png);
          const label = `${width}×${height} ${alpha ? 'rgba' : 'rgb'} adaptive=${adaptiveFiltering}`;
          expect(mine, label).not.toBeNull();
          const theirs = await vipsRgba(png);
          expect(mine!.width, label).toBe(theirs.width);
          expect(mine!.height, label).toBe(theirs.height);
          expect(Buffer.compare(Buffer.from(mine!.data), Buffer.from(theirs.data)), label).toBe(0);
        }
      }
    }
  });

  it('undoes each of the five filters, across split IDAT chunks, as libvips does', async () => {
    const width = 23;
    const height = 15;
    for (const channels of [3, 4] as const) {
      const base = photo(width, height);
      const { data } = await (channels === 4 ? base.ensureAlpha(0.3) : base.removeAlpha())
        .raw()
        .toBuffer({ resolveWithObject: true });
      for (const filters of [[0], [1], [2], [3], [4], [4, 3, 2, 1, 0]]) {
        const png = pngWithFilters(data, width, height, channels, filters);
        const mine = await readPlainPng(png);
        expect(mine, `filters ${filters}`).not.toBeNull();
        expect(
          Buffer.compare(Buffer.from(mine!.data), Buffer.from((await vipsRgba(png)).data)),
        ).toBe(0);
      }
    }
  });

  it('leaves to libvips what it does not decode itself: other colour types, depths, interlace, colour chunks, broken files, large pictures', async () => {
    const base = photo(37, 19).removeAlpha();
    const others = {
      grey: await base.clone().toColourspace('b-w').png().toBuffer(),
      palette: await base.clone().png({ palette: true }).toBuffer(),
      '16-bit': await base.clone().toColourspace('rgb16').png().toBuffer(),
      interlaced: await base.clone().png({ progressive: true }).toBuffer(),
      iccp: await base.clone().withIccProfile('p3').png().toBuffer(),
    };
    expect(others.grey[25], 'written as grey').toBe(0);
    expect(others.palette[25], 'written with a palette').toBe(3);
    for (const [name, png] of Object.entries(others))
      expect(await readPlainPng(png), name).toBeNull();

    const { data } = await base.clone().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const gama = Buffer.alloc(4);
    gama.writeUInt32BE(45455);
    expect(
      await readPlainPng(pngWithFilters(data, 37, 19, 3, [0], [chunk('gAMA', gama)])),
      'gAMA',
    ).toBeNull();
    const good = pngWithFilters(data, 37, 19, 3, [1]);
    expect(await readPlainPng(good.subarray(0, good.length - 40)), 'truncated').toBeNull();
    const badFilter = pngWithFilters(data, 37, 19, 3, [5 as number]);
    expect(await readPlainPng(badFilter), 'filter type 5').toBeNull();

    // Only the header is read for a picture over the limit: its IHDR claims the size.
    const huge = Buffer.from(good);
    huge.writeUInt32BE(JS_PNG_MAX_PIXELS, 16);
    huge.writeUInt32BE(2, 20);
    expect(await readPlainPng(huge), 'over the limit').toBeNull();
  });

  it('is what decodeImage uses for plain PNGs, and libvips still names a broken one', async () => {
    const png = await photo(64, 48).removeAlpha().png().toBuffer();
    const decoded = await decodeImage(png, 1e8);
    expect(
      Buffer.compare(Buffer.from(decoded.image.data), Buffer.from((await vipsRgba(png)).data)),
    ).toBe(0);
    expect(decoded).toMatchObject({ format: 'png', hasAlpha: false });
    const broken = Buffer.from(png);
    broken.fill(7, 60, 200);
    await expect(decodeImage(broken, 1e8)).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
  });
});
