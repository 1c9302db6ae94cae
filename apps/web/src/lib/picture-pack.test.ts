import { describe, expect, it } from 'vitest';
import {
  addLeft,
  packPicture,
  subtractLeft,
  subtractLeftStream,
  unpackPicture,
} from './picture-pack';

/** Every byte distinct from its neighbours, with alpha 0, 1, 128 and 255 among the pixels. */
function noise(width: number, height: number) {
  let seed = 11;
  const data = Uint8Array.from({ length: width * height * 4 }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % 256;
  });
  data.set([10, 20, 30, 0, 40, 50, 60, 1, 70, 80, 90, 128, 100, 110, 120, 255]);
  return { width, height, data };
}

describe('picture packing', () => {
  it('subtracts each pixel’s left neighbour per channel, row by row, and adds it back', () => {
    const data = Uint8Array.of(10, 20, 30, 40, 15, 18, 255, 40, 1, 2, 3, 4, 0, 0, 0, 0);
    const filtered = subtractLeft(data, 2);
    // Row 0: first pixel as is, second minus first (mod 256); row 1 starts again.
    expect([...filtered]).toEqual([10, 20, 30, 40, 5, 254, 225, 0, 1, 2, 3, 4, 255, 254, 253, 252]);
    expect([...addLeft(filtered, 2)]).toEqual([...data]);
  });

  it('filters a band of whole rows at a time, to the same bytes as the whole picture', async () => {
    const image = noise(7, 9);
    // 3 rows a band (then the last 0), 1 row a band, and a row wider than the band size.
    for (const chunkBytes of [7 * 4 * 3, 7 * 4, 5]) {
      const chunks: Uint8Array[] = [];
      const reader = subtractLeftStream(image.data, 7, chunkBytes).getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
      expect(chunks.every((c) => c.length % (7 * 4) === 0)).toBe(true);
      expect(Buffer.concat(chunks).equals(Buffer.from(subtractLeft(image.data, 7)))).toBe(true);
    }
  });

  it('packs a picture of several bands and gives it back byte for byte', async () => {
    // 1100 × 1000 RGBA is 4.4 MB: more than one 4 MiB band.
    const width = 1100;
    const height = 1000;
    const data = new Uint8Array(width * height * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    const back = await unpackPicture(await packPicture({ width, height, data }));
    expect(Buffer.from(back.data).equals(Buffer.from(data))).toBe(true);
  });

  it('comes back byte for byte, semi-transparent colour included', async () => {
    const image = noise(37, 5);
    const back = await unpackPicture(await packPicture(image));
    expect([back.width, back.height]).toEqual([37, 5]);
    expect(Buffer.from(back.data).equals(Buffer.from(image.data))).toBe(true);
  });

  it('makes a flat picture much smaller than its pixels, once per picture', async () => {
    const flat = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4).fill(200) };
    const blob = await packPicture(flat);
    expect(blob.size).toBeLessThan(flat.data.length / 50);
    expect(await packPicture(flat)).toBe(blob);
    const back = await unpackPicture(blob);
    expect(await packPicture(back)).toBe(blob);
  });

  it('refuses a blob that is not a packed picture, or one cut short', async () => {
    await expect(unpackPicture(new Blob(['not a picture at all']))).rejects.toThrow(
      /not in Loupe’s format/,
    );
    const whole = await packPicture(noise(16, 16));
    const cut = whole.slice(0, whole.size - 40);
    await expect(unpackPicture(cut)).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
  });

  /** `blob` with its header's width and height set to `width` × `height`. */
  async function withSize(blob: Blob, width: number, height: number): Promise<Blob> {
    const header = new Uint8Array(await blob.slice(0, 12).arrayBuffer());
    const view = new DataView(header.buffer);
    view.setUint32(4, width);
    view.setUint32(8, height);
    return new Blob([header, blob.slice(12)]);
  }

  it('refuses a header that says fewer pixels than the body holds, or more', async () => {
    const whole = await packPicture(noise(16, 16));
    for (const [w, h] of [
      [16, 15],
      [16, 17],
      [15, 16],
    ] as const)
      await expect(unpackPicture(await withSize(whole, w, h))).rejects.toMatchObject({
        code: 'IMAGE_CORRUPT',
        message: expect.stringMatching(/damaged|does not hold/),
      });
  });

  it('refuses a header no deflate body of its size could fill, before allocating it', async () => {
    // 65535² RGBA would be 17 GB: asked of the allocator, that throws a RangeError, not ours.
    const whole = await packPicture(noise(16, 16));
    await expect(unpackPicture(await withSize(whole, 65535, 65535))).rejects.toMatchObject({
      code: 'IMAGE_CORRUPT',
      message: expect.stringMatching(/does not hold 65535 × 65535 pixels/),
    });
  });
});
