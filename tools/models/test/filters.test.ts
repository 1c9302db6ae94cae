import { beforeAll, describe, expect, it } from 'vitest';
import { AdjustParams, adjustParamVector, colorMatrix, gaussianKernel } from '@loupe/shared';
import {
  adjustReference,
  blurReference,
  colorMatrixReference,
  sharpenReference,
  type PlanarImage,
} from '../src/filters/reference';
import { runFilter } from './support/filter-session';
import {
  fixturePath,
  fromInterleaved,
  maxByteDifference,
  premultiplied,
  readPlanar,
  toByte,
} from './support/planar-image';

const vec = (data: ArrayLike<number>) => ({ data, dims: [data.length] });
const matrixInput = (m: Float32Array) => ({ matrix: { data: m, dims: [3, 4] } });
const kernelInput = (sigma: number) => vec(gaussianKernel(sigma));
const adjust = (p: Partial<AdjustParams>) => ({
  params: vec(adjustParamVector(AdjustParams.parse(p))),
});

/** Rounded RGBA of pixel i of an NCHW result. */
function pixel(out: ArrayLike<number>, image: PlanarImage, i: number): number[] {
  const n = image.width * image.height;
  return [0, 1, 2, 3].map((c) => toByte(out[c * n + i]!));
}

const onePixel = (r: number, g: number, b: number, a: number) =>
  fromInterleaved(1, 1, [r, g, b, a]);

describe('filter-color-matrix', () => {
  it('inverts a known pixel and keeps its alpha', async () => {
    const image = onePixel(10, 200, 30, 77);
    expect(
      pixel(await runFilter('color-matrix', image, matrixInput(colorMatrix.invert())), image, 0),
    ).toEqual([245, 55, 225, 77]);
  });

  it('turns pure red into Rec. 709 gray', async () => {
    const image = onePixel(255, 0, 0, 255);
    const gray = Math.round(0.2126 * 255);
    const out = await runFilter(
      'color-matrix',
      image,
      matrixInput(colorMatrix.grayscale({ amount: 100 })),
    );
    expect(pixel(out, image, 0)).toEqual([gray, gray, gray, 255]);
  });

  it('clamps sepia of white to 255 where the row sum exceeds 1', async () => {
    const image = onePixel(255, 255, 255, 128);
    const out = await runFilter(
      'color-matrix',
      image,
      matrixInput(colorMatrix.sepia({ amount: 100 })),
    );
    expect(pixel(out, image, 0)).toEqual([
      255,
      255,
      Math.round((0.272 + 0.534 + 0.131) * 255),
      128,
    ]);
  });
});

describe('filter-adjust', () => {
  const gray = onePixel(100, 100, 100, 9);

  it('is the identity at default parameters', async () => {
    const image = onePixel(17, 130, 251, 200);
    expect(pixel(await runFilter('adjust', image, adjust({})), image, 0)).toEqual([
      17, 130, 251, 200,
    ]);
  });

  it('doubles values at +1 EV and applies gamma as 1/gamma power', async () => {
    expect(pixel(await runFilter('adjust', gray, adjust({ exposure: 1 })), gray, 0)).toEqual([
      200, 200, 200, 9,
    ]);
    const dark = onePixel(64, 64, 64, 255);
    const expected = Math.round(255 * Math.sqrt(64 / 255));
    expect(pixel(await runFilter('adjust', dark, adjust({ gamma: 2 })), dark, 0)).toEqual([
      expected,
      expected,
      expected,
      255,
    ]);
  });

  it('warms with temperature and greens with negative tint', async () => {
    expect(pixel(await runFilter('adjust', gray, adjust({ temperature: 100 })), gray, 0)).toEqual([
      120, 100, 80, 9,
    ]);
    expect(pixel(await runFilter('adjust', gray, adjust({ tint: -50 })), gray, 0)).toEqual([
      100, 110, 100, 9,
    ]);
  });

  it('desaturates red to its luma at -100% saturation and flattens at -100% contrast', async () => {
    const red = onePixel(255, 0, 0, 255);
    const luma = Math.round(0.2126 * 255);
    expect(pixel(await runFilter('adjust', red, adjust({ saturation: -100 })), red, 0)).toEqual([
      luma,
      luma,
      luma,
      255,
    ]);
    const flat = pixel(await runFilter('adjust', red, adjust({ contrast: -100 })), red, 0);
    for (const c of flat.slice(0, 3)) expect(Math.abs(c - 127.5)).toBeLessThanOrEqual(0.5);
  });
});

describe('filter-blur', () => {
  const taps = vec([0.25, 0.5, 0.25]);

  it('spreads a point by the kernel outer product', async () => {
    const rgba = new Array(3 * 3 * 4).fill(0);
    rgba.splice(4 * 4, 4, 255, 255, 255, 255);
    const image = fromInterleaved(3, 3, rgba);
    const out = await runFilter('blur', image, { kernel: taps });
    expect(pixel(out, image, 4)).toEqual([64, 64, 64, 64]);
    expect(pixel(out, image, 1)).toEqual([32, 32, 32, 32]);
    expect(pixel(out, image, 0)).toEqual([16, 16, 16, 16]);
  });

  it('replicates edges instead of padding with zeros', async () => {
    const image = fromInterleaved(3, 1, [0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255]);
    const out = await runFilter('blur', image, { kernel: taps });
    // 0.25·0 + 0.5·255 + 0.25·255 (replicated); zero padding would give 128.
    expect(pixel(out, image, 2)).toEqual([191, 191, 191, 191]);
    expect(pixel(out, image, 0)).toEqual([0, 0, 0, 0]);
  });
});

describe('filter-sharpen', () => {
  it('overshoots both sides of an edge by amount·(c − blur) and keeps alpha', async () => {
    const row = [100, 100, 200, 200].flatMap((v) => [v, v, v, 42]);
    const image = fromInterleaved(4, 1, row);
    const out = await runFilter('sharpen', image, {
      kernel: vec([0.25, 0.5, 0.25]),
      amount: vec([1]),
    });
    expect(pixel(out, image, 1)).toEqual([75, 75, 75, 42]);
    expect(pixel(out, image, 2)).toEqual([225, 225, 225, 42]);
    expect(pixel(out, image, 0)).toEqual([100, 100, 100, 42]);
  });
});

describe('filter graphs match their float64 references on a real photo', () => {
  let photo: PlanarImage;
  beforeAll(async () => {
    photo = await readPlanar(fixturePath());
  });
  const changed = (out: ArrayLike<number>) => maxByteDifference(out, photo.data) > 0;

  const adjustCases: Partial<AdjustParams>[] = [
    { exposure: 0.7, contrast: 25, saturation: 40, temperature: -30, tint: 15, gamma: 1.3 },
    { exposure: -3, contrast: -100, saturation: -100, temperature: -100, tint: -100, gamma: 0.2 },
    { exposure: 3, contrast: 100, saturation: 100, temperature: 100, tint: 100, gamma: 5 },
  ];
  it.each(adjustCases)('adjust %o', async (p) => {
    const params = adjustParamVector(AdjustParams.parse(p));
    const out = await runFilter('adjust', photo, { params: vec(params) });
    expect(maxByteDifference(out, adjustReference(photo, params).data)).toBeLessThanOrEqual(1);
    expect(changed(out)).toBe(true);
  });

  it.each([0.5, 4, 50])('blur sigma %d (premultiplied)', async (sigma) => {
    const input = premultiplied(photo);
    const out = await runFilter('blur', input, { kernel: kernelInput(sigma) });
    expect(
      maxByteDifference(out, blurReference(input, gaussianKernel(sigma)).data),
    ).toBeLessThanOrEqual(1);
    expect(maxByteDifference(out, input.data)).toBeGreaterThan(0);
  });

  it.each([
    [0, 0.5],
    [1, 1.5],
    [5, 10],
  ])('sharpen amount %d radius %d', async (amount, radius) => {
    const out = await runFilter('sharpen', photo, {
      kernel: kernelInput(radius),
      amount: vec([amount]),
    });
    const expected = sharpenReference(photo, gaussianKernel(radius), amount).data;
    expect(maxByteDifference(out, expected)).toBeLessThanOrEqual(1);
    expect(changed(out)).toBe(amount > 0);
  });

  it.each([
    ['grayscale 100', colorMatrix.grayscale({ amount: 100 })],
    ['sepia 50', colorMatrix.sepia({ amount: 50 })],
    ['invert', colorMatrix.invert()],
  ] as const)('color matrix %s', async (_, m) => {
    const out = await runFilter('color-matrix', photo, matrixInput(m));
    expect(maxByteDifference(out, colorMatrixReference(photo, m).data)).toBeLessThanOrEqual(1);
    expect(changed(out)).toBe(true);
  });
});
