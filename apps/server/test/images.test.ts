import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoupeError } from '@loupe/shared';
import { decodeImage, decodeImageToFile, readHeader } from '../src/images/decode';
import { encodeImage, encodeImageToFile, STREAMING_JPEG_MIN_PIXELS } from '../src/images/encode';
import { sniffImageFormat } from '../src/images/sniff';
import { readVipsRgba } from '../src/images/vips-file';

const solid = (w: number, h: number, alpha = 1) =>
  sharp({
    create: { width: w, height: h, channels: 4, background: { r: 200, g: 100, b: 50, alpha } },
  });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof LoupeError ? e.code : String(e);
  }
}

describe('sniffImageFormat', () => {
  it('identifies the allowed formats from their bytes and refuses the rest', async () => {
    expect(sniffImageFormat(await solid(4, 4).png().toBuffer())).toBe('png');
    expect(sniffImageFormat(await solid(4, 4).jpeg().toBuffer())).toBe('jpeg');
    expect(sniffImageFormat(await solid(4, 4).webp().toBuffer())).toBe('webp');
    expect(sniffImageFormat(await solid(4, 4).gif().toBuffer())).toBe('gif');
    expect(sniffImageFormat(await solid(16, 16).avif().toBuffer())).toBe('avif');
    expect(sniffImageFormat(await solid(4, 4).tiff().toBuffer())).toBeUndefined();
    expect(sniffImageFormat(Buffer.from('\0\0\0\x18ftypheic\0\0\0\0', 'binary'))).toBeUndefined();
    expect(
      sniffImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')),
    ).toBeUndefined();
  });
});

describe('decodeImage', () => {
  it('always yields straight RGBA8: greyscale, 16-bit and opaque inputs included', async () => {
    const grey = await sharp({
      create: { width: 3, height: 2, channels: 3, background: { r: 90, g: 90, b: 90 } },
    })
      .greyscale()
      .png()
      .toBuffer();
    const deep = await solid(3, 2).png().toColourspace('rgb16').toBuffer();
    for (const bytes of [grey, deep, await solid(3, 2).jpeg().toBuffer()]) {
      const { image } = await decodeImage(bytes, 1e6);
      expect([image.width, image.height, image.data.length]).toEqual([3, 2, 24]);
      expect(image.data[3]).toBe(255);
    }
    expect((await decodeImage(grey, 1e6)).image.data[0]).toBe(90);
  });

  it('takes the first frame of an animated GIF', async () => {
    const frames = await sharp({ create: { width: 5, height: 8, channels: 4, background: '#f00' } })
      .gif()
      .toBuffer();
    const animated = await sharp([frames, frames], { join: { animated: true } })
      .gif()
      .toBuffer();
    const { image } = await decodeImage(animated, 1e6);
    expect([image.width, image.height]).toEqual([5, 8]);
  });

  it('checks declared pixels before decoding and refuses truncated files', async () => {
    const bytes = await solid(300, 200).png().toBuffer();
    expect(await codeOf(readHeader(bytes, 300 * 200 - 1))).toBe('IMAGE_TOO_LARGE');
    expect(await codeOf(readHeader(bytes, 300 * 200))).toBe('ok');
    const noisy = await sharp(
      Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 256)),
      { raw: { width: 64, height: 64, channels: 3 } },
    )
      .jpeg()
      .toBuffer();
    expect(await codeOf(decodeImage(noisy.subarray(0, noisy.length >> 1), 1e6))).toBe(
      'IMAGE_CORRUPT',
    );
    expect(await codeOf(decodeImage(Buffer.from('GIF89a not really a gif at all'), 1e6))).toBe(
      'IMAGE_CORRUPT',
    );
  });
});

describe('encodeImage', () => {
  const half = { width: 1, height: 1, data: Uint8Array.of(0, 0, 0, 0) };
  it('keeps alpha in PNG and WebP, flattens JPEG onto white', async () => {
    const pngOut = await sharp(await encodeImage(half, 'png', 90))
      .raw()
      .toBuffer();
    expect([...pngOut]).toEqual([0, 0, 0, 0]);
    const webpOut = await sharp(await encodeImage(half, 'webp', 90))
      .ensureAlpha()
      .raw()
      .toBuffer();
    expect(webpOut[3]).toBe(0);
    const jpegOut = await sharp(await encodeImage(half, 'jpeg', 90))
      .raw()
      .toBuffer();
    expect(jpegOut[0]).toBeGreaterThan(250);
  });

  it('writes large JPEGs in one streaming pass (baseline), small ones with mozjpeg (progressive)', async () => {
    const side = Math.ceil(Math.sqrt(STREAMING_JPEG_MIN_PIXELS));
    const large = { width: side, height: side, data: new Uint8Array(side * side * 4).fill(128) };
    const small = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4).fill(128) };
    const meta = async (image: typeof small) =>
      sharp(await encodeImage(image, 'jpeg', 90)).metadata();
    expect(await meta(large)).toMatchObject({ width: side, height: side, isProgressive: false });
    expect(await meta(small)).toMatchObject({ width: 64, isProgressive: true });
  });
});

describe('the large-image path: decode into a VIPS file, encode into a file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loupe-images-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const gradient = (w: number, h: number, channels: 3 | 4) =>
    sharp(Buffer.from(Array.from({ length: w * h * channels }, (_, i) => (i * 31) % 256)), {
      raw: { width: w, height: h, channels },
    });

  it('reads back exactly the pixels the in-memory decode gives', async () => {
    const inputs = {
      alphaPng: await gradient(7, 5, 4).png().toBuffer(),
      deepPng: await gradient(6, 4, 3).png().toColourspace('rgb16').toBuffer(),
      greyPng: await gradient(5, 3, 3).greyscale().png().toBuffer(),
      // Orientation 6: stored 9×4, shown 4×9.
      rotatedJpeg: await gradient(9, 4, 3).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
    };
    for (const [name, bytes] of Object.entries(inputs)) {
      const path = join(dir, `${name}.v`);
      const file = await decodeImageToFile(bytes, 1e6, path);
      const { image } = await decodeImage(bytes, 1e6);
      expect([file.width, file.height], name).toEqual([image.width, image.height]);
      const pixels = await readVipsRgba(path, file.width, file.height);
      expect(Buffer.compare(Buffer.from(pixels), Buffer.from(image.data)), name).toBe(0);
    }
  });

  it('refuses a truncated file and leaves nothing behind', async () => {
    const jpeg = await gradient(64, 64, 3).jpeg().toBuffer();
    const path = join(dir, 'truncated.v');
    expect(await codeOf(decodeImageToFile(jpeg.subarray(0, jpeg.length >> 1), 1e6, path))).toBe(
      'IMAGE_CORRUPT',
    );
    expect(await readdir(dir)).not.toContain('truncated.v');
  });

  it('refuses a VIPS file whose header does not match what was asked for', async () => {
    const path = join(dir, 'mismatch.v');
    await decodeImageToFile(await gradient(8, 8, 4).png().toBuffer(), 1e6, path);
    await expect(readVipsRgba(path, 8, 9)).rejects.toThrow(/height is 8, expected 9/);
  });

  it('writes the same bytes to a file as to memory', async () => {
    const image = {
      width: 7,
      height: 5,
      data: new Uint8Array(await gradient(7, 5, 4).raw().toBuffer()),
    };
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const path = join(dir, `out.${format}`);
      const size = await encodeImageToFile(image, format, 90, path);
      const file = await readFile(path);
      expect(size).toBe(file.length);
      expect(Buffer.compare(file, await encodeImage(image, format, 90)), format).toBe(0);
    }
  });
});
