import { describe, expect, it } from 'vitest';
import { BYTE_RANGE, UNIT_RANGE } from '../models/model-specs';
import { imageToTensor, tensorToImage, toByte } from './tensor';

const ISNET = { mean: 128, std: 256 };

// 3×2 image; pixel (x, y) has distinct channel values so misplaced reads show.
const image = {
  width: 3,
  height: 2,
  data: Uint8Array.from(
    [
      [0, 1, 2, 255],
      [10, 11, 12, 255],
      [20, 21, 22, 255],
      [30, 31, 32, 255],
      [40, 41, 42, 128],
      [255, 0, 128, 0],
    ].flat(),
  ),
};

describe('imageToTensor', () => {
  it('reads a region into NCHW planes with the model normalization', () => {
    const t = imageToTensor(
      image,
      { x: 1, y: 1, width: 2, height: 1 },
      { channels: 3, normalization: ISNET },
    );
    expect(t.dims).toEqual([1, 3, 1, 2]);
    // Planes R, G, B; each (byte − 128) / 256 is exact in float32.
    expect(Array.from(t.data)).toEqual([-0.34375, 0.49609375, -0.33984375, -0.5, -0.3359375, 0]);
  });

  it('reads alpha as a fourth plane and can premultiply colour by it', () => {
    const straight = imageToTensor(
      image,
      { x: 1, y: 1, width: 1, height: 1 },
      { channels: 4, normalization: BYTE_RANGE },
    );
    expect(Array.from(straight.data)).toEqual([40, 41, 42, 128]);
    const pre = imageToTensor(
      image,
      { x: 1, y: 1, width: 2, height: 1 },
      { channels: 4, normalization: BYTE_RANGE, premultiplied: true },
    );
    const f = Math.fround;
    expect(Array.from(pre.data)).toEqual([
      f((40 * 128) / 255),
      0,
      f((41 * 128) / 255),
      0,
      f((42 * 128) / 255),
      0,
      128,
      0,
    ]);
  });

  it('reuses a buffer of the right length and replaces one of the wrong length', () => {
    const rect = { x: 0, y: 0, width: 2, height: 2 };
    const buffer = new Float32Array(12);
    const t = imageToTensor(image, rect, { channels: 3, normalization: UNIT_RANGE }, buffer);
    expect(t.data).toBe(buffer);
    expect(t.data[2]).toBeCloseTo(30 / 255, 7);
    const detached = new Float32Array(0);
    expect(
      imageToTensor(image, rect, { channels: 3, normalization: UNIT_RANGE }, detached).data,
    ).not.toBe(detached);
  });

  it('rejects regions outside the image', () => {
    expect(() =>
      imageToTensor(
        image,
        { x: 2, y: 0, width: 2, height: 1 },
        { channels: 3, normalization: BYTE_RANGE },
      ),
    ).toThrow(RangeError);
  });
});

describe('tensorToImage', () => {
  it('clamps and rounds half away from zero', () => {
    expect([-0.5, 0.49, 0.5, 1.5, 127.5, 254.5, 300, Number.NaN].map(toByte)).toEqual([
      0,
      0,
      1,
      2,
      128,
      255,
      255,
      NaN,
    ]);
  });

  it('writes a tensor region at an offset, RGB only, leaving alpha and other pixels alone', () => {
    const out = { width: 3, height: 3, data: new Uint8Array(36).fill(7) };
    // 2×2 tensor, BYTE_RANGE; we copy its right column (x = 1) to image (2, 1)..(2, 2).
    const tensor = {
      data: Float32Array.of(0, 127.5, 0, -4, 0, 254.5, 0, 300, 0, 0.5, 0, 12.49),
      dims: [1, 3, 2, 2],
    };
    tensorToImage(tensor, { x: 1, y: 0, width: 1, height: 2 }, out, 2, 1, {
      channels: 3,
      normalization: BYTE_RANGE,
    });
    const px = (x: number, y: number) =>
      Array.from(out.data.subarray((y * 3 + x) * 4, (y * 3 + x) * 4 + 4));
    expect(px(2, 1)).toEqual([128, 255, 1, 7]);
    expect(px(2, 2)).toEqual([0, 255, 12, 7]);
    expect(px(1, 1)).toEqual([7, 7, 7, 7]);
    expect(px(2, 0)).toEqual([7, 7, 7, 7]);
  });

  it('denormalizes UNIT_RANGE and round-trips ISNet normalization exactly', () => {
    const out = { width: 1, height: 1, data: Uint8Array.of(0, 0, 0, 9) };
    const tensor = { data: Float32Array.of(0.5, 0.25, 1), dims: [1, 3, 1, 1] };
    tensorToImage(tensor, { x: 0, y: 0, width: 1, height: 1 }, out, 0, 0, {
      channels: 3,
      normalization: UNIT_RANGE,
    });
    expect(Array.from(out.data)).toEqual([128, 64, 255, 9]);

    const all = { x: 0, y: 0, width: 3, height: 2 };
    const copy = { width: 3, height: 2, data: Uint8Array.from(image.data) };
    copy.data.fill(0);
    const t = imageToTensor(image, all, { channels: 4, normalization: ISNET });
    tensorToImage(t, all, copy, 0, 0, { channels: 4, normalization: ISNET });
    expect(copy.data).toEqual(image.data);
  });

  it('divides colour by alpha for premultiplied tensors; zero alpha gives colour 0', () => {
    const out = { width: 2, height: 1, data: new Uint8Array(8).fill(9) };
    const tensor = { data: Float32Array.of(100, 50, 50, 30, 25, 0, 128, 0), dims: [1, 4, 1, 2] };
    const layout = { channels: 4, normalization: BYTE_RANGE, premultiplied: true } as const;
    tensorToImage(tensor, { x: 0, y: 0, width: 2, height: 1 }, out, 0, 0, layout);
    expect(Array.from(out.data)).toEqual([199, 100, 50, 128, 0, 0, 0, 0]);
  });

  it('writes one channel as grey', () => {
    const out = { width: 1, height: 1, data: Uint8Array.of(1, 2, 3, 4) };
    tensorToImage(
      { data: Float32Array.of(0.2), dims: [1, 1, 1, 1] },
      { x: 0, y: 0, width: 1, height: 1 },
      out,
      0,
      0,
      {
        channels: 1,
        normalization: UNIT_RANGE,
      },
    );
    expect(Array.from(out.data)).toEqual([51, 51, 51, 4]);
  });

  it('rejects a tensor whose channels or size do not match', () => {
    const out = { width: 2, height: 2, data: new Uint8Array(16) };
    const rect = { x: 0, y: 0, width: 1, height: 1 };
    const layout = { channels: 3, normalization: BYTE_RANGE } as const;
    expect(() =>
      tensorToImage({ data: new Float32Array(4), dims: [1, 4, 1, 1] }, rect, out, 0, 0, layout),
    ).toThrow(RangeError);
    expect(() =>
      tensorToImage({ data: new Float32Array(3), dims: [1, 3, 1, 1] }, rect, out, 2, 0, layout),
    ).toThrow(RangeError);
  });
});
