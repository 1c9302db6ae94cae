import { describe, expect, it } from 'vitest';
import { packMask, unpackMask } from './mask-pack';

describe('mask packing', () => {
  it('comes back byte for byte, feathered edges included, and small when painted in runs', async () => {
    const width = 40;
    const height = 30;
    const data = new Uint8Array(width * height);
    // A painted disc with a feathered rim: 0, 255 and every value between.
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const d = Math.hypot(x - 20, y - 15);
        data[y * width + x] = d < 8 ? 255 : d < 12 ? Math.round(((12 - d) / 4) * 255) : 0;
      }
    const mask = { width, height, data };
    const blob = await packMask(mask);
    expect(blob.size).toBeLessThan(data.length / 2);
    expect(await packMask(mask)).toBe(blob);
    const back = await unpackMask(blob);
    expect([back.width, back.height]).toEqual([width, height]);
    expect(Buffer.from(back.data).equals(Buffer.from(data))).toBe(true);
  });

  it('refuses a blob that is not a packed mask, or one cut short', async () => {
    await expect(unpackMask(new Blob([new Uint8Array(20)]))).rejects.toThrow(
      /is not in Loupe’s format/,
    );
    const whole = await packMask({ width: 4, height: 4, data: new Uint8Array(16).fill(9) });
    const header = await whole.slice(0, 12).arrayBuffer();
    const other = new Uint8Array(header);
    new DataView(other.buffer).setUint32(4, 5);
    await expect(unpackMask(new Blob([other, whole.slice(12)]))).rejects.toThrow(
      /does not cover 5 × 4 pixels/,
    );
  });
});
