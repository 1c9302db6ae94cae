import { describe, expect, it } from 'vitest';
import { addLeft, packPicture, subtractLeft, unpackPicture } from './picture-pack';

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
});
