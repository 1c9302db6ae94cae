import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dosDateTime, uniqueNames, zip } from './zip';

const text = (s: string) => new TextEncoder().encode(s);

/** Reads a store-only archive from its end, the way unzip does: end record, central directory, local headers. */
function readZip(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const out: { name: string; data: Uint8Array; crc: number; method: number; flags: number }[] = [];
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const local = view.getUint32(at + 42, true);
    expect(view.getUint32(local, true)).toBe(0x04034b50);
    const size = view.getUint32(local + 18, true);
    const start = local + 30 + view.getUint16(local + 26, true);
    out.push({
      name,
      data: bytes.subarray(start, start + size),
      crc: view.getUint32(at + 16, true),
      method: view.getUint16(local + 8, true),
      flags: view.getUint16(at + 8, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

describe('zip', () => {
  it('stores every entry with its name, bytes and a CRC-32 zlib agrees with', async () => {
    const entries = [
      { name: 'hello.txt', data: text('hello') },
      { name: 'empty.bin', data: new Uint8Array(0) },
      { name: 'fotó_é.png', data: Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 255) },
    ];
    const blob = zip(entries, new Date(2024, 4, 17, 13, 45, 30));
    expect(blob.type).toBe('application/zip');
    const read = readZip(new Uint8Array(await blob.arrayBuffer()));
    expect(read.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    for (const [i, e] of read.entries()) {
      expect(Buffer.from(e.data).equals(Buffer.from(entries[i]!.data))).toBe(true);
      expect(e.crc).toBe(zlibCrc32(entries[i]!.data));
      expect(e.method).toBe(0);
      expect(e.flags & (1 << 11)).toBeTruthy();
    }
    expect(read[0]!.crc).toBe(0x3610a686); // CRC-32 of "hello"
  });

  it('is exactly headers plus data: 30 + name per local header, 46 + name per record, 22 at the end', async () => {
    const blob = zip([{ name: 'a', data: text('xyz') }]);
    expect(blob.size).toBe(30 + 1 + 3 + 46 + 1 + 22);
    expect((await zip([]).arrayBuffer()).byteLength).toBe(22);
  });

  it('writes MS-DOS time and date', () => {
    expect(dosDateTime(new Date(2024, 4, 17, 13, 45, 30))).toEqual({
      time: (13 << 11) | (45 << 5) | 15,
      date: ((2024 - 1980) << 9) | (5 << 5) | 17,
    });
  });

  it('names duplicates apart', () => {
    expect(uniqueNames(['a.png', 'a.png', 'b', 'b', 'a.png'])).toEqual([
      'a.png',
      'a (2).png',
      'b',
      'b (2)',
      'a (3).png',
    ]);
  });
});
