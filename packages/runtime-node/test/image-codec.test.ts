import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPRESSION_LEVELS,
  LoupeError,
  OUTPUT_FORMATS,
  type Compression,
  type OutputFormat,
  type RgbaImage,
} from '@loupe/shared';
import {
  FAST_DEFAULT_MAX_PIXELS,
  STREAMING_JPEG_MIN_PIXELS,
  decodeImage,
  decodeImageToFile,
  encodeImage,
  encodeImageToFile,
  isOpaque,
  readHeader,
  readVipsRgba,
  resolveCompression,
  sniffImageFormat,
} from '../src/image-codec';

// A real photo (a hibiscus, 1024²) shipped with @upscalerjs/esrgan-thick, which tools/models installs.
const PHOTO = join(
  import.meta.dirname,
  '../../../tools/models/node_modules/@upscalerjs/esrgan-thick/assets/samples/8x/result.png',
);

async function rgbaOf(pipeline: Sharp): Promise<RgbaImage> {
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

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
  it('keeps alpha in PNG and WebP, flattens JPEG onto white, at every compression level', async () => {
    for (const compression of COMPRESSION_LEVELS) {
      const out = (format: OutputFormat) => encodeImage(half, { format, quality: 90, compression });
      const pngOut = await sharp(await out('png'))
        .raw()
        .toBuffer();
      expect([...pngOut], compression).toEqual([0, 0, 0, 0]);
      const webpOut = await sharp(await out('webp'))
        .ensureAlpha()
        .raw()
        .toBuffer();
      expect(webpOut[3], compression).toBe(0);
      const jpegOut = await sharp(await out('jpeg'))
        .raw()
        .toBuffer();
      expect(jpegOut[0], compression).toBeGreaterThan(250);
    }
  });

  it('writes large JPEGs in one streaming pass (baseline) at every level; small ones with mozjpeg (progressive) when asked for `small`', async () => {
    const side = Math.ceil(Math.sqrt(STREAMING_JPEG_MIN_PIXELS));
    const large = { width: side, height: side, data: new Uint8Array(side * side * 4).fill(128) };
    const small = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4).fill(128) };
    const meta = async (image: typeof small, compression: Compression) =>
      sharp(await encodeImage(image, { format: 'jpeg', quality: 90, compression })).metadata();
    for (const compression of COMPRESSION_LEVELS)
      expect(await meta(large, compression), compression).toMatchObject({
        width: side,
        height: side,
        isProgressive: false,
      });
    expect(await meta(small, 'small')).toMatchObject({ width: 64, isProgressive: true });
    expect(await meta(small, 'fast')).toMatchObject({ width: 64, isProgressive: false });
  });
});

describe('compression levels on a real photo', () => {
  let opaque: RgbaImage;
  let translucent: RgbaImage;
  beforeAll(async () => {
    opaque = await rgbaOf(sharp(PHOTO).resize(320, 200).removeAlpha());
    // The same photo with an alpha ramp, as a background removal leaves it.
    translucent = { ...opaque, data: opaque.data.slice() };
    for (let i = 3; i < translucent.data.length; i += 4)
      translucent.data[i] = (i >> 2) % translucent.width;
  });

  it('every PNG level decodes to exactly the pixels it was given, opaque or not', async () => {
    for (const image of [opaque, translucent]) {
      for (const compression of COMPRESSION_LEVELS) {
        const bytes = await encodeImage(image, { format: 'png', quality: 90, compression });
        const back = await rgbaOf(sharp(bytes));
        expect([back.width, back.height]).toEqual([image.width, image.height]);
        expect(Buffer.compare(Buffer.from(back.data), Buffer.from(image.data)), compression).toBe(
          0,
        );
      }
    }
  });

  it('writes an opaque PNG without its alpha channel and keeps a translucent one', async () => {
    const channels = async (image: RgbaImage) =>
      (
        await sharp(
          await encodeImage(image, { format: 'png', quality: 90, compression: 'fast' }),
        ).metadata()
      ).channels;
    expect(isOpaque(opaque)).toBe(true);
    expect(await channels(opaque)).toBe(3);
    expect(isOpaque(translucent)).toBe(false);
    expect(await channels(translucent)).toBe(4);
  });

  it('the levels are different encodings, and `quality` still reaches the lossy encoders at each', async () => {
    for (const format of OUTPUT_FORMATS) {
      const sizes = new Set<number>();
      for (const compression of COMPRESSION_LEVELS) {
        const encode = (quality: number) => encodeImage(opaque, { format, quality, compression });
        const bytes = await encode(90);
        sizes.add(bytes.length);
        const back = await rgbaOf(sharp(bytes));
        expect([back.width, back.height], `${format} ${compression}`).toEqual([320, 200]);
        if (format === 'png') continue;
        // Lossy, but the picture: within a few levels of the original on average.
        expect(meanAbsDiff(back.data, opaque.data), `${format} ${compression}`).toBeLessThan(4);
        expect((await encode(40)).length, `${format} ${compression}`).toBeLessThan(
          (await encode(95)).length,
        );
      }
      expect(sizes.size, format).toBe(COMPRESSION_LEVELS.length);
    }
  });

  it('defaults to `fast` for small results and `balanced` above FAST_DEFAULT_MAX_PIXELS; a request that asks keeps its level', () => {
    const side = Math.floor(Math.sqrt(FAST_DEFAULT_MAX_PIXELS));
    expect(resolveCompression(undefined, { width: 1536, height: 864 })).toBe('fast');
    expect(resolveCompression(undefined, { width: side, height: side })).toBe('fast');
    expect(resolveCompression(undefined, { width: side + 1, height: side + 1 })).toBe('balanced');
    expect(resolveCompression('small', { width: 16, height: 16 })).toBe('small');
    expect(resolveCompression('fast', { width: 8000, height: 8000 })).toBe('fast');
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
      for (const compression of COMPRESSION_LEVELS) {
        const output = { format, quality: 90, compression };
        const size = await encodeImageToFile(image, output, path);
        const file = await readFile(path);
        expect(size).toBe(file.length);
        expect(
          Buffer.compare(file, await encodeImage(image, output)),
          `${format} ${compression}`,
        ).toBe(0);
      }
    }
  });
});
