import { describe, expect, it } from 'vitest';
import { thumbnailPixels } from './thumbnail';

/** width×height RGBA where `pixel(x, y)` gives each pixel's [r, g, b, a]. */
function image(width: number, height: number, pixel: (x: number, y: number) => number[]) {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  return { width, height, data };
}

const at = (img: { width: number; data: Uint8Array }, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

describe('thumbnailPixels', () => {
  it('fits the longer side and keeps each half of the picture in its place', () => {
    const src = image(1000, 500, (x) => (x < 500 ? [200, 40, 10, 255] : [0, 0, 255, 255]));
    const thumb = thumbnailPixels(src, 96);
    expect([thumb.width, thumb.height]).toEqual([96, 48]);
    expect(at(thumb, 0, 0)).toEqual([200, 40, 10, 255]);
    expect(at(thumb, 47, 47)).toEqual([200, 40, 10, 255]);
    expect(at(thumb, 48, 0)).toEqual([0, 0, 255, 255]);
    expect(at(thumb, 95, 47)).toEqual([0, 0, 255, 255]);
  });

  it('averages colour weighted by alpha, so transparent black does not darken an edge', () => {
    // Opaque red and transparent black alternate: each thumbnail pixel covers one of each.
    const src = image(10, 2, (x) => (x % 2 ? [0, 0, 0, 0] : [255, 0, 0, 255]));
    const thumb = thumbnailPixels(src, 5);
    expect([thumb.width, thumb.height]).toEqual([5, 1]);
    for (let x = 0; x < 5; x++) expect(at(thumb, x, 0)).toEqual([255, 0, 0, 128]);
  });

  it('leaves an image already within the size as it is', () => {
    const src = image(3, 2, (x, y) => [x * 80, y * 120, 7, 255 - x]);
    expect(thumbnailPixels(src, 96)).toEqual(src);
  });
});
