import { LoupeError, type Mask } from '@loupe/shared';

/** "LMK1": Loupe mask, format 1. */
const MAGIC = Uint8Array.of(0x4c, 0x4d, 0x4b, 0x31);
const HEADER_BYTES = 12;

const packed = new WeakMap<Mask, Promise<Blob>>();

/**
 * A step's mask as a compact Blob for a parked document or a saved session: its exact coverage
 * bytes, deflated (a painted mask is mostly runs of 0 and 255, a few hundred bytes). Nothing can
 * recompute a mask, so it is kept whole with its step. Made once per mask.
 *
 * @example (await unpackMask(await packMask(mask))).data // the same bytes as mask.data
 */
export function packMask(mask: Mask): Promise<Blob> {
  let blob = packed.get(mask);
  if (!blob) {
    blob = (async () => {
      const header = new Uint8Array(HEADER_BYTES);
      header.set(MAGIC);
      const view = new DataView(header.buffer);
      view.setUint32(4, mask.width);
      view.setUint32(8, mask.height);
      const body = new Blob([new Uint8Array(mask.data)])
        .stream()
        .pipeThrough(new CompressionStream('deflate'));
      return new Blob([header, await new Response(body).blob()]);
    })();
    packed.set(mask, blob);
  }
  return blob;
}

/**
 * The mask `packMask` packed.
 *
 * @throws LoupeError('IMAGE_CORRUPT') when the blob is not a whole packed mask.
 */
export async function unpackMask(blob: Blob): Promise<Mask> {
  const corrupt = (why: string) => new LoupeError('IMAGE_CORRUPT', `A saved mask ${why}.`);
  const header = new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer());
  if (header.length < HEADER_BYTES || MAGIC.some((b, i) => header[i] !== b))
    throw corrupt('is not in Loupe’s format');
  const view = new DataView(header.buffer);
  const width = view.getUint32(4);
  const height = view.getUint32(8);
  let data: Uint8Array;
  try {
    const body = blob.slice(HEADER_BYTES).stream().pipeThrough(new DecompressionStream('deflate'));
    data = new Uint8Array(await new Response(body).arrayBuffer());
  } catch {
    throw corrupt('is damaged');
  }
  if (data.length !== width * height) throw corrupt(`does not cover ${width} × ${height} pixels`);
  const mask: Mask = { width, height, data };
  packed.set(mask, Promise.resolve(blob));
  return mask;
}
