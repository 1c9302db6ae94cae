import { describe, expect, it } from 'vitest';
import { UNIT_RANGE } from '../models/model-specs';
import {
  compositeOverColor,
  compositeOverImage,
  cutout,
  matteFromTensor,
  matteImage,
} from './matte';
import { noiseImage } from '../engine/testing/images';

const img = (...px: number[][]) => ({
  width: px.length,
  height: 1,
  data: Uint8Array.from(px.flat()),
});

describe('matte', () => {
  it('reads a mask tensor as coverage clamped to 0..1', () => {
    const m = matteFromTensor(
      { data: Float32Array.of(0.5, 2, -1), dims: [1, 1, 1, 3] },
      UNIT_RANGE,
    );
    expect(Array.from(m)).toEqual([0.5, 1, 0]);
    expect(() =>
      matteFromTensor({ data: new Float32Array(2), dims: [1, 1, 2, 2] }, UNIT_RANGE),
    ).toThrow(RangeError);
  });

  const image = img([10, 20, 30, 200], [0, 0, 0, 255], [50, 60, 70, 0]);
  const matte = Float32Array.of(0.5, 0.25, 1);

  it('cuts out: alpha = matte × original alpha, colour kept where it still shows', () => {
    expect(Array.from(cutout(image, matte).data)).toEqual([
      10, 20, 30, 100, 0, 0, 0, 64, 0, 0, 0, 0,
    ]);
    expect(image.data[3]).toBe(200);
  });

  it('renders the cutout alpha as an opaque grey mask', () => {
    expect(Array.from(matteImage(image, matte).data)).toEqual([
      100, 100, 100, 255, 64, 64, 64, 255, 0, 0, 0, 255,
    ]);
  });

  it('composites over a colour, opaque everywhere', () => {
    const out = compositeOverColor(image, matte, [255, 255, 255]);
    // k = 0.5·200/255 for pixel 0; pixel 1 is black at 25 %; pixel 2 was transparent.
    const k = 100 / 255;
    expect(Array.from(out.data)).toEqual([
      Math.round(10 * k + 255 * (1 - k)),
      Math.round(20 * k + 255 * (1 - k)),
      Math.round(30 * k + 255 * (1 - k)),
      255,
      191,
      191,
      191,
      255,
      255,
      255,
      255,
      255,
    ]);
  });

  it('composites over another image with "over", keeping its transparency', () => {
    const subject = img([200, 0, 0, 255], [200, 0, 0, 255], [200, 0, 0, 255]);
    const background = img([0, 0, 100, 255], [0, 0, 100, 0], [0, 0, 100, 51]);
    const out = compositeOverImage(subject, Float32Array.of(0.5, 0.5, 0), background);
    expect(Array.from(out.data)).toEqual([100, 0, 50, 255, 200, 0, 0, 128, 0, 0, 100, 51]);
    expect(() => compositeOverImage(subject, Float32Array.of(1), background)).toThrow(RangeError);
  });

  it('leaves no colour under the pixels it makes fully transparent, on a real noise picture', () => {
    const picture = noiseImage(64, 40);
    // Left third background, a soft edge, the rest subject.
    const m = new Float32Array(64 * 40).map((_, i) => Math.min(1, Math.max(0, (i % 64) / 16 - 1)));
    const out = cutout(picture, m);
    let clear = 0;
    let soft = 0;
    for (let i = 0; i < m.length; i++) {
      const px = Array.from(out.data.subarray(4 * i, 4 * i + 4));
      if (px[3] === 0) {
        clear++;
        expect(px).toEqual([0, 0, 0, 0]);
      } else {
        // Semi-transparent and opaque pixels keep their straight colour.
        if (px[3]! < 255) soft++;
        expect(px.slice(0, 3)).toEqual(Array.from(picture.data.subarray(4 * i, 4 * i + 3)));
      }
    }
    expect(clear).toBe(17 * 40);
    expect(soft).toBeGreaterThan(0);
  });
});
