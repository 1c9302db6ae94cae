/**
 * Inflates a zlib stream (RFC 1950, what zTXt and compressed iTXt hold) to at most `maxBytes`;
 * null when it would be longer, and a rejection when the stream is damaged or cut short.
 */
export type Inflate = (zlib: Uint8Array, maxBytes: number) => Promise<Uint8Array | null>;

interface ByteReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}
interface ByteWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
interface Streams {
  DecompressionStream?: new (format: 'deflate') => {
    readonly writable: { getWriter(): ByteWriter };
    readonly readable: { getReader(): ByteReader };
  };
}

/**
 * The platform's DecompressionStream('deflate') (browsers, workers, Node ≥ 18), read chunk by
 * chunk so that a small chunk that inflates to gigabytes stops at the limit instead.
 */
export const platformInflate: Inflate = async (zlib, maxBytes) => {
  const Decompression = (globalThis as Streams).DecompressionStream;
  if (!Decompression) throw new Error('this platform has no DecompressionStream');
  const stream = new Decompression('deflate');
  const writer = stream.writable.getWriter();
  // Not awaited: the writes wait on the reads below (backpressure); their failure is the read's.
  writer.write(zlib).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value) continue;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
