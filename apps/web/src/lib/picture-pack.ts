import { LoupeError, type RgbaImage } from '@loupe/shared';

/** "LPX1": Loupe pixels, format 1. A packed picture says what it is before it is inflated. */
const MAGIC = Uint8Array.of(0x4c, 0x50, 0x58, 0x31);
const HEADER_BYTES = 12;

/**
 * Each byte minus the same channel of the pixel to its left: neighbouring pixels are alike, so
 * deflate finds runs of small numbers (PNG's "Sub" filter, without the per-row filter byte).
 */
export function subtractLeft(data: Uint8Array, width: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(data.length);
  const stride = width * 4;
  for (let row = 0; row < data.length; row += stride) {
    for (let i = row; i < row + 4 && i < data.length; i++) out[i] = data[i]!;
    for (let i = row + 4; i < row + stride; i++) out[i] = (data[i]! - data[i - 4]!) & 0xff;
  }
  return out;
}

/** Rows filtered per chunk of the packing stream: a few MiB, whatever the picture's size. */
const CHUNK_BYTES = 4 * 2 ** 20;

/**
 * `subtractLeft` of the whole picture, a band of whole rows at a time (each row is filtered on
 * its own, so the bytes are the same). Packing a 12000² result this way holds one 4 MiB band,
 * not a 576 MB filtered copy and a Blob copy of that: together they raised the tab's peak by
 * ~900 MiB (docs/benchmarks.md section 7).
 */
export function subtractLeftStream(
  data: Uint8Array,
  width: number,
  chunkBytes = CHUNK_BYTES,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  const stride = width * 4;
  const rowsPerChunk = Math.max(1, Math.floor(chunkBytes / stride));
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      const end = Math.min(data.length, offset + rowsPerChunk * stride);
      controller.enqueue(subtractLeft(data.subarray(offset, end), width));
      offset = end;
    },
  });
}

/** Undoes `subtractLeft` in place. */
export function addLeft(data: Uint8Array, width: number): Uint8Array {
  const stride = width * 4;
  for (let row = 0; row < data.length; row += stride)
    for (let i = row + 4; i < row + stride; i++) data[i] = (data[i]! + data[i - 4]!) & 0xff;
  return data;
}

const packed = new WeakMap<RgbaImage, Promise<Blob>>();

/**
 * A picture as a compact Blob for keeping out of the JS heap (IndexedDB, parked documents):
 * its exact RGBA, row-filtered and deflated. Not PNG on purpose: decoding a PNG in the
 * browser goes through a premultiplied canvas, which rounds the colour of semi-transparent
 * pixels; this comes back byte for byte. Made once per picture.
 *
 * @example const blob = await packPicture(image); (await unpackPicture(blob)).data // same bytes
 */
export function packPicture(image: RgbaImage): Promise<Blob> {
  let blob = packed.get(image);
  if (!blob) {
    blob = (async () => {
      const header = new Uint8Array(HEADER_BYTES);
      header.set(MAGIC);
      const view = new DataView(header.buffer);
      view.setUint32(4, image.width);
      view.setUint32(8, image.height);
      const body = subtractLeftStream(image.data, image.width).pipeThrough(
        new CompressionStream('deflate'),
      );
      return new Blob([header, await new Response(body).blob()]);
    })();
    packed.set(image, blob);
  }
  return blob;
}

/**
 * Inflates `body` into `into`, chunk by chunk as the stream gives them: the picture's bytes are
 * held once, not as a list of chunks and then their concatenation (twice a 576 MB picture on a
 * 12000² restore). Resolves to how many bytes came; more than fit is an error.
 */
async function inflateInto(
  body: ReadableStream<Uint8Array<ArrayBuffer>>,
  into: Uint8Array,
): Promise<number> {
  const inflated = body.pipeThrough(new DecompressionStream('deflate')).getReader();
  let at = 0;
  for (let r = await inflated.read(); !r.done; r = await inflated.read()) {
    if (at + r.value.length > into.length) {
      await inflated.cancel();
      throw new RangeError('more bytes than the header says');
    }
    into.set(r.value, at);
    at += r.value.length;
  }
  return at;
}

/**
 * The picture `packPicture` packed. The result is remembered as that blob's picture, so
 * packing it again costs nothing.
 *
 * @throws LoupeError('IMAGE_CORRUPT') when the blob is not a whole packed picture.
 */
export async function unpackPicture(blob: Blob): Promise<RgbaImage> {
  const corrupt = (why: string) => new LoupeError('IMAGE_CORRUPT', `A saved picture ${why}.`);
  const header = new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer());
  if (header.length < HEADER_BYTES || MAGIC.some((b, i) => header[i] !== b))
    throw corrupt('is not in Loupe’s format');
  const view = new DataView(header.buffer);
  const width = view.getUint32(4);
  const height = view.getUint32(8);
  const bytes = width * height * 4;
  // What deflate can give from this blob at most (~1032:1): a header that claims more is
  // damaged, and is refused before a buffer of its size is asked for.
  if (width === 0 || height === 0 || bytes > blob.size * 1032 + 1024)
    throw corrupt(`does not hold ${width} × ${height} pixels`);
  const data = new Uint8Array(bytes);
  let got: number;
  try {
    got = await inflateInto(blob.slice(HEADER_BYTES).stream(), data);
  } catch {
    throw corrupt('is damaged');
  }
  if (got !== bytes) throw corrupt(`does not hold ${width} × ${height} pixels`);
  const image: RgbaImage = { width, height, data: addLeft(data, width) };
  packed.set(image, Promise.resolve(blob));
  return image;
}
