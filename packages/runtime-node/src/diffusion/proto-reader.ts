import type { FileHandle } from 'node:fs/promises';

// Protocol-buffer wire format, read where it lies: positional over a file for the messages
// that may hold gigabytes (a model, its graph, a tensor), from memory for the small ones.

export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

export interface Field {
  readonly field: number;
  readonly wire: number;
  /** The varint's value (wire 0); large values lose precision, which no caller needs. */
  readonly value: number;
  /** Where a length-delimited value's bytes start and end (wire 2). */
  readonly start: number;
  readonly end: number;
}

export class ProtoError extends Error {}

/** A varint at `pos` in `bytes`: [value, next position]. */
function varint(bytes: Uint8Array, pos: number, limit: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= limit) throw new ProtoError('truncated varint');
    const b = bytes[pos++]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 128;
  }
  throw new ProtoError('varint longer than 10 bytes');
}

/** One field header and its value's extent, from bytes that hold at least the header. */
function field(bytes: Uint8Array, pos: number, limit: number, base: number): [Field, number] {
  const [key, afterKey] = varint(bytes, pos, limit);
  const number = Math.floor(key / 8);
  const wire = key % 8;
  if (number === 0) throw new ProtoError('field number 0');
  switch (wire) {
    case WIRE.varint: {
      const [value, next] = varint(bytes, afterKey, limit);
      return [{ field: number, wire, value, start: base + afterKey, end: base + next }, next];
    }
    case WIRE.fixed64:
      return [
        { field: number, wire, value: 0, start: base + afterKey, end: base + afterKey + 8 },
        afterKey + 8,
      ];
    case WIRE.fixed32:
      return [
        { field: number, wire, value: 0, start: base + afterKey, end: base + afterKey + 4 },
        afterKey + 4,
      ];
    case WIRE.bytes: {
      const [length, start] = varint(bytes, afterKey, limit);
      return [
        { field: number, wire, value: length, start: base + start, end: base + start + length },
        start + length,
      ];
    }
    default:
      throw new ProtoError(`wire type ${wire}`);
  }
}

/** The fields of a message held in memory. */
export function* fieldsOf(bytes: Uint8Array): Generator<Field> {
  let pos = 0;
  while (pos < bytes.length) {
    const [f, next] = field(bytes, pos, bytes.length, 0);
    if (next > bytes.length) throw new ProtoError(`field ${f.field} runs past its message`);
    yield f;
    pos = next;
  }
}

export const text = (bytes: Uint8Array, f: Field) =>
  new TextDecoder().decode(bytes.subarray(f.start, f.end));

/** The values of a packed repeated integer field (all of `bytes`). */
export function packedVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let pos = 0; pos < bytes.length;) {
    const [value, next] = varint(bytes, pos, bytes.length);
    out.push(value);
    pos = next;
  }
  return out;
}

const HEADER_BYTES = 32;
const WINDOW = 64 * 1024;

/**
 * Reads a protobuf file by position: fields' headers and the small messages a caller asks
 * for are read in windows; everything else (weights) is skipped without being read.
 */
export class ProtoFile {
  private window = new Uint8Array(0);
  private windowStart = 0;

  constructor(
    private readonly file: FileHandle,
    readonly size: number,
  ) {}

  /** Bytes [start, end) of the file. */
  async bytes(start: number, end: number): Promise<Uint8Array> {
    if (end > this.size) throw new ProtoError('a field runs past the end of the file');
    const windowEnd = this.windowStart + this.window.length;
    if (start >= this.windowStart && end <= windowEnd)
      return this.window.subarray(start - this.windowStart, end - this.windowStart);
    const length = Math.min(Math.max(end - start, WINDOW), this.size - start);
    const buffer = new Uint8Array(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await this.file.read(buffer, read, length - read, start + read);
      if (bytesRead === 0) throw new ProtoError('the file ended early');
      read += bytesRead;
    }
    this.window = buffer;
    this.windowStart = start;
    return buffer.subarray(0, end - start);
  }

  /** The fields in [start, end) of the file, values unread. */
  async *fields(start: number, end: number): AsyncGenerator<Field> {
    let pos = start;
    while (pos < end) {
      const header = await this.bytes(pos, Math.min(end, pos + HEADER_BYTES));
      const [f, next] = field(header, 0, header.length, pos);
      const after = pos + next;
      if (f.end > end || after > end)
        throw new ProtoError(`field ${f.field} runs past its message`);
      yield f;
      pos = after;
    }
  }
}
