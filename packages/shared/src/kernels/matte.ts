import type { TensorData } from '../engine/model-runner';
import { createRgbaImage, pixelCount, type RgbaImage } from '../image/rgba-image';
import type { Normalization } from '../models/model-specs';
import { toByte } from './tensor';

/**
 * A matte is foreground coverage per pixel, 0 (background) to 1 (subject), as a float
 * plane at the image's size: what a segmentation model's mask becomes once resized.
 */
export type Matte = Float32Array;

/**
 * Reads channel 0 of a `[1, C, H, W]` mask tensor as coverage in 0..1.
 *
 * @example matteFromTensor({ data: Float32Array.of(0.5, 2), dims: [1, 1, 1, 2] }, UNIT_RANGE)
 *   // Float32Array [0.5, 1]
 */
export function matteFromTensor(tensor: TensorData, normalization: Normalization): Matte {
  const [, , height = 0, width = 0] = tensor.dims;
  const n = width * height;
  if (tensor.dims.length !== 4 || tensor.data.length < n) {
    throw new RangeError(`expected a [1, C, H, W] mask, got [${tensor.dims.join(', ')}]`);
  }
  const { mean, std } = normalization;
  const matte = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    matte[i] = Math.min(1, Math.max(0, (tensor.data[i]! * std + mean) / 255));
  }
  return matte;
}

function checkMatte(image: RgbaImage, matte: Matte): void {
  if (matte.length !== pixelCount(image)) {
    throw new RangeError(`matte has ${matte.length} values for ${image.width}×${image.height}`);
  }
}

/**
 * The subject on transparency: alpha = matte × the image's own alpha, so already-transparent
 * areas stay transparent. Where alpha ends at 0 the colour is zeroed (the removed background
 * must not survive under it); elsewhere the straight colour is kept unchanged.
 *
 * @example cutout(img, matte) // (10, 20, 30, 200) with matte 0.5 → (10, 20, 30, 100); matte 0 → (0, 0, 0, 0)
 */
export function cutout(image: RgbaImage, matte: Matte): RgbaImage {
  checkMatte(image, matte);
  const data = Uint8Array.from(image.data);
  for (let i = 0; i < matte.length; i++) {
    const a = toByte(matte[i]! * data[4 * i + 3]!);
    data[4 * i + 3] = a;
    if (a === 0) data.fill(0, 4 * i, 4 * i + 3);
  }
  return { width: image.width, height: image.height, data };
}

/**
 * The cutout's alpha as an opaque grey image (white = subject), for users who composite
 * elsewhere: image + this mask reproduce the cutout exactly.
 *
 * @example matteImage(img, matte) // alpha 255, matte 0.5 → (128, 128, 128, 255)
 */
export function matteImage(image: RgbaImage, matte: Matte): RgbaImage {
  checkMatte(image, matte);
  const out = createRgbaImage(image.width, image.height);
  const d = out.data;
  for (let i = 0; i < matte.length; i++) {
    const v = toByte(matte[i]! * image.data[4 * i + 3]!);
    d[4 * i] = v;
    d[4 * i + 1] = v;
    d[4 * i + 2] = v;
    d[4 * i + 3] = 255;
  }
  return out;
}

/**
 * The cutout laid over a solid colour: opaque everywhere.
 *
 * @example compositeOverColor(img, matte, [255, 255, 255])
 *   // (0, 0, 0, 255) with matte 0.25 → (191, 191, 191, 255)
 */
export function compositeOverColor(
  image: RgbaImage,
  matte: Matte,
  color: readonly [number, number, number],
): RgbaImage {
  checkMatte(image, matte);
  const out = createRgbaImage(image.width, image.height);
  const s = image.data;
  const d = out.data;
  for (let i = 0; i < matte.length; i++) {
    const k = (matte[i]! * s[4 * i + 3]!) / 255;
    for (let c = 0; c < 3; c++) d[4 * i + c] = toByte(s[4 * i + c]! * k + color[c]! * (1 - k));
    d[4 * i + 3] = 255;
  }
  return out;
}

/**
 * The cutout laid over another image of the same size with Porter-Duff "over", both
 * straight alpha: for opaque inputs, out = subject·k + background·(1 − k).
 *
 * @example compositeOverImage(img, matte, blurred)
 *   // subject (200, 0, 0, 255), matte 0.5, background (0, 0, 100, 255) → (100, 0, 50, 255)
 */
export function compositeOverImage(
  image: RgbaImage,
  matte: Matte,
  background: RgbaImage,
): RgbaImage {
  checkMatte(image, matte);
  if (background.width !== image.width || background.height !== image.height) {
    throw new RangeError('background must have the image size');
  }
  const out = createRgbaImage(image.width, image.height);
  const s = image.data;
  const b = background.data;
  const d = out.data;
  for (let i = 0; i < matte.length; i++) {
    const k = (matte[i]! * s[4 * i + 3]!) / 255;
    const kb = (b[4 * i + 3]! / 255) * (1 - k);
    const a = k + kb;
    const inv = a > 0 ? 1 / a : 0;
    for (let c = 0; c < 3; c++)
      d[4 * i + c] = toByte((s[4 * i + c]! * k + b[4 * i + c]! * kb) * inv);
    d[4 * i + 3] = toByte(a * 255);
  }
  return out;
}
