import { LoupeError, crc32 } from '@loupe/shared';

export interface ZipEntry {
  /** Path inside the archive, `/`-separated; written as UTF-8. */
  name: string;
  data: Uint8Array;
}

/** Store-only zip keeps 32-bit sizes, offsets and a 16-bit entry count (no Zip64). */
const MAX_BYTES = 0xffffffff;
const MAX_ENTRIES = 0xffff;
/** General purpose flag bit 11: names are UTF-8. */
const UTF8 = 1 << 11;

/** MS-DOS time and date, local time, two-second resolution: what every unzip shows. */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, date.getFullYear()));
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/**
 * A zip archive of `entries`, stored without compression: the entries are already-compressed
 * pictures (PNG, WebP, JPEG), so deflating them again would cost time and save nothing.
 *
 * @example await zip([{ name: 'a.png', data }]) // Blob of type application/zip
 * @throws LoupeError('PAYLOAD_TOO_LARGE') past 65,535 entries or 4 GB.
 */
export function zip(entries: readonly ZipEntry[], modified = new Date()): Blob {
  if (entries.length > MAX_ENTRIES)
    throw new LoupeError('PAYLOAD_TOO_LARGE', `A zip holds at most ${MAX_ENTRIES} files.`);
  const when = dosDateTime(modified);
  const encoder = new TextEncoder();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  const central: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const crc = crc32(entry.data);
    const size = entry.data.length;
    if (offset + 30 + name.length + size > MAX_BYTES)
      throw new LoupeError('PAYLOAD_TOO_LARGE', 'The results are over 4 GB: too large for a zip.');
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 10, true); // version needed: 1.0, stored
    l.setUint16(6, UTF8, true);
    l.setUint16(8, 0, true); // method: stored
    l.setUint16(10, when.time, true);
    l.setUint16(12, when.date, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, size, true);
    l.setUint32(22, size, true);
    l.setUint16(26, name.length, true);
    l.setUint16(28, 0, true);
    local.set(name, 30);

    const record = new Uint8Array(46 + name.length);
    const c = new DataView(record.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, (3 << 8) | 20, true); // made by: Unix, spec 2.0
    c.setUint16(6, 10, true);
    c.setUint16(8, UTF8, true);
    c.setUint16(10, 0, true);
    c.setUint16(12, when.time, true);
    c.setUint16(14, when.date, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, size, true);
    c.setUint32(24, size, true);
    c.setUint16(28, name.length, true);
    // extra, comment, disk, internal attributes: 0
    c.setUint32(38, (0o100644 << 16) >>> 0, true); // external: a regular file, rw-r--r--
    c.setUint32(42, offset, true);
    record.set(name, 46);

    parts.push(local, entry.data as Uint8Array<ArrayBuffer>);
    central.push(record);
    offset += local.length + size;
  }
  const centralSize = central.reduce((n, r) => n + r.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, entries.length, true);
  e.setUint16(10, entries.length, true);
  e.setUint32(12, centralSize, true);
  e.setUint32(16, offset, true);
  return new Blob([...parts, ...central, end], { type: 'application/zip' });
}

/**
 * `name`, or `name (2).ext`, `name (3).ext` … so no two entries of one archive share a name
 * (two files called photo.png in one batch).
 */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let n = 2; taken.has(candidate); n++) candidate = `${stem} (${n})${ext}`;
    taken.add(candidate);
    return candidate;
  });
}
