import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { LoupeError } from '@loupe/shared';
import { decodeImage, readHeader } from '../src/images/decode';
import { encodeImage } from '../src/images/encode';
import { sniffImageFormat } from '../src/images/sniff';

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
});
