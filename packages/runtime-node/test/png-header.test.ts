import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readHeader } from '../src/image-codec';
import { readPngHeader } from '../src/image-codec/png-header';

const base = () =>
  sharp({
    create: { width: 37, height: 19, channels: 4, background: { r: 9, g: 80, b: 200, alpha: 0.5 } },
  });

/** PNGs of every colour type libvips writes, with what libvips itself reads back from each. */
async function variants(): Promise<[string, Buffer][]> {
  return [
    ['rgba', await base().png().toBuffer()],
    ['rgb', await base().removeAlpha().png().toBuffer()],
    ['grey', await base().removeAlpha().greyscale().png().toBuffer()],
    ['grey+alpha', await base().greyscale().png().toBuffer()],
    ['rgba 16-bit', await base().toColourspace('rgb16').png().toBuffer()],
    ['palette with tRNS', await base().png({ palette: true }).toBuffer()],
    ['palette opaque', await base().removeAlpha().png({ palette: true }).toBuffer()],
    ['interlaced', await base().png({ progressive: true }).toBuffer()],
  ];
}

describe('readPngHeader', () => {
  it('reads the same width, height and alpha as libvips for every colour type', async () => {
    for (const [name, png] of await variants()) {
      const meta = await sharp(png).metadata();
      expect(readPngHeader(png), name).toEqual({
        width: meta.width,
        height: meta.height,
        hasAlpha: meta.hasAlpha,
      });
    }
  });

  it('is unsure (null) of an eXIf chunk, a malformed IHDR and a file that ends before its pixels', async () => {
    const rotated = await base().withMetadata({ orientation: 6 }).png().toBuffer();
    expect(rotated.includes(Buffer.from('eXIf')), 'libvips writes eXIf').toBe(true);
    expect(readPngHeader(rotated)).toBeNull();
    // readHeader then asks libvips, which applies the orientation.
    expect(await readHeader(rotated, 1e6)).toMatchObject({ width: 19, height: 37 });

    const png = await base().png().toBuffer();
    const badDepth = Buffer.from(png);
    badDepth[24] = 7;
    expect(readPngHeader(badDepth)).toBeNull();
    const zeroWidth = Buffer.from(png);
    zeroWidth.writeUInt32BE(0, 16);
    expect(readPngHeader(zeroWidth)).toBeNull();
    expect(readPngHeader(png.subarray(0, 40))).toBeNull();
  });

  it('still refuses a decompression bomb from the header alone', async () => {
    const png = Buffer.from(await base().png().toBuffer());
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    await expect(readHeader(png, 100e6)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });
});
