import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from './png';

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
    expect(decoded).toEqual([...data]);
  });
});
