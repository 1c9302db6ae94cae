import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '@loupe/shared';
import { encodePng } from './png';

function chunks(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { type: string; body: Uint8Array; crcOk: boolean }[] = [];
  for (let i = 8; i < bytes.length;) {
    const len = view.getUint32(i);
    const type = String.fromCharCode(...bytes.subarray(i + 4, i + 8));
    const body = bytes.subarray(i + 8, i + 8 + len);
    out.push({
      type,
      body,
      crcOk: view.getUint32(i + 8 + len) === crc32(bytes.subarray(i + 4, i + 8 + len)),
    });
    i += 12 + len;
  }
  return out;
}

/** A deterministic opaque picture with every byte different from its neighbours. */
function noiseImage(width: number, height: number) {
  let seed = 7;
  const data = Uint8Array.from({ length: width * height * 4 }, (_, i) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return i % 4 === 3 ? 255 : seed % 256;
  });
  return { width, height, data };
}

describe('encodePng', () => {
  it('matches the reference CRC-32', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('writes straight-alpha RGBA losslessly, semi-transparent pixels included', async () => {
    // 3×2 with alpha 0, 1, 128 and 255: a canvas encoder would round the colour of the low-alpha pixels.
    const data = Uint8Array.of(
      250,
      10,
      20,
      0,
      17,
      200,
      33,
      1,
      90,
      91,
      92,
      128,
      0,
      0,
      0,
      255,
      255,
      255,
      255,
      255,
      1,
      2,
      3,
      4,
    );
    const png = new Uint8Array(
      await (await encodePng({ width: 3, height: 2, data })).arrayBuffer(),
    );
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const list = chunks(png);
    expect(list.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(list.every((c) => c.crcOk)).toBe(true);
    expect([...list[0]!.body]).toEqual([0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0]);
    // Undo the per-row Sub filter and compare every byte.
    const raw = inflateSync(list[1]!.body);
    const decoded: number[] = [];
    for (let y = 0; y < 2; y++) {
      const row = raw.subarray(y * 13, y * 13 + 13);
      expect(row[0]).toBe(1);
      for (let i = 0; i < 12; i++)
        decoded.push((row[1 + i]! + (i >= 4 ? decoded[y * 12 + i - 4]! : 0)) & 0xff);
    }
    // Colour under alpha 0 is not kept (the first pixel); every other byte is.
    expect(decoded).toEqual([0, 0, 0, 0, ...data.subarray(4)]);
  });

  it('writes an opaque picture as RGB (colour type 2), pixel for pixel and smaller', async () => {
    const rgba = noiseImage(33, 21);
    const png = new Uint8Array(await (await encodePng(rgba)).arrayBuffer());
    const [ihdr, idat] = chunks(png);
    expect([...ihdr!.body.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
    const raw = inflateSync(idat!.body);
    const stride = 33 * 3;
    expect(raw.length).toBe((stride + 1) * 21);
    const decoded: number[] = [];
    for (let y = 0; y < 21; y++) {
      const row = raw.subarray(y * (stride + 1), (y + 1) * (stride + 1));
      for (let i = 0; i < stride; i++)
        decoded.push((row[1 + i]! + (i >= 3 ? decoded[y * stride + i - 3]! : 0)) & 0xff);
    }
    const rgb = [...rgba.data].filter((_, i) => i % 4 !== 3);
    expect(decoded).toEqual(rgb);
    // One alpha below 255 anywhere keeps the alpha channel.
    rgba.data[rgba.data.length - 1] = 254;
    const withAlpha = chunks(new Uint8Array(await (await encodePng(rgba)).arrayBuffer()));
    expect(withAlpha[0]!.body[9]).toBe(6);
    expect(png.length).toBeLessThan(
      new Uint8Array(await (await encodePng(rgba)).arrayBuffer()).length,
    );
  });
});
