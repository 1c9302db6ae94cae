import type { TensorData } from '../engine/model-runner';
import type { RgbaImage } from '../image/rgba-image';
import type { Normalization } from '../models/model-specs';
import { assertRectInside, type Rect } from './rect';

/**
 * How pixels sit in a model's NCHW tensor: which channels (3 = RGB, 4 = RGBA, 1 = one grey
 * plane, written only), and `tensor = (byte − mean) / std`. A model's `TensorPort` is one.
 */
export interface TensorLayout {
  readonly channels: 1 | 3 | 4;
  readonly normalization: Normalization;
  /**
   * RGB multiplied by alpha in the tensor. The blur graph needs it so transparent pixels
   * (whose colour is arbitrary) add nothing to their neighbours.
   */
  readonly premultiplied?: boolean;
}

/** The byte a model value stands for: clamp to 0..255, then round half away from zero. */
export function toByte(value: number): number {
  // After the clamp the value is ≥ 0, where half away from zero is floor(v + 0.5).
  return Math.floor(Math.min(255, Math.max(0, value)) + 0.5);
}

/**
 * Reads `rect` of an RGBA8 image into a `[1, C, height, width]` float32 tensor.
 * Pass the previous tile's buffer as `reuse` to avoid a new allocation per tile (it is
 * used only when its length fits exactly, so a buffer a runner transferred away is replaced).
 *
 * @example imageToTensor(img, { x: 0, y: 0, width: 2, height: 1 }, { channels: 3, normalization: { mean: 128, std: 256 } })
 *   // pixel (255, 0, 128, 255) → R plane 0.49609375, G −0.5, B 0
 */
export function imageToTensor(
  image: RgbaImage,
  rect: Rect,
  layout: TensorLayout,
  reuse?: Float32Array,
): TensorData {
  const { channels, normalization, premultiplied = false } = layout;
  if (channels === 1) throw new RangeError('imageToTensor reads 3 or 4 channels');
  assertRectInside(rect, image.width, image.height, 'tensor region');
  const { x: x0, y: y0, width, height } = rect;
  const plane = width * height;
  const data = reuse?.length === channels * plane ? reuse : new Float32Array(channels * plane);
  const { mean, std } = normalization;
  const src = image.data;
  for (let y = 0; y < height; y++) {
    let s = ((y0 + y) * image.width + x0) * 4;
    let t = y * width;
    for (let x = 0; x < width; x++, s += 4, t++) {
      const a = src[s + 3]!;
      // Premultiplied colour stays fractional: rounding it to bytes would darken soft edges.
      const k = premultiplied ? a : 255;
      data[t] = ((src[s]! * k) / 255 - mean) / std;
      data[plane + t] = ((src[s + 1]! * k) / 255 - mean) / std;
      data[2 * plane + t] = ((src[s + 2]! * k) / 255 - mean) / std;
      if (channels === 4) data[3 * plane + t] = (a - mean) / std;
    }
  }
  return { data, dims: [1, channels, height, width] };
}

/**
 * Writes `from` (a region of a `[1, C, H, W]` tensor) into `image` with its top-left at
 * `(toX, toY)`: `byte = tensor·std + mean`, clamped and rounded half away from zero.
 * 3 channels write RGB and leave alpha as it is; 1 channel writes grey into RGB;
 * 4 channels write RGBA, dividing colour by alpha first when `premultiplied`.
 *
 * @example tensorToImage({ data: Float32Array.of(0.5, 0.25, 1), dims: [1, 3, 1, 1] },
 *   { x: 0, y: 0, width: 1, height: 1 }, out, 0, 0, { channels: 3, normalization: UNIT_RANGE })
 *   // out pixel 0 → (128, 64, 255, alpha unchanged)
 */
export function tensorToImage(
  tensor: TensorData,
  from: Rect,
  image: RgbaImage,
  toX: number,
  toY: number,
  layout: TensorLayout,
): void {
  const { channels, normalization, premultiplied = false } = layout;
  const [n, c, tensorHeight, tensorWidth] = tensor.dims;
  if (tensor.dims.length !== 4 || n !== 1 || c !== channels) {
    throw new RangeError(
      `expected a [1, ${channels}, H, W] tensor, got [${tensor.dims.join(', ')}]`,
    );
  }
  const tw = tensorWidth!;
  const th = tensorHeight!;
  if (tensor.data.length !== channels * tw * th) {
    throw new RangeError(
      `tensor has ${tensor.data.length} values for dims [${tensor.dims.join(', ')}]`,
    );
  }
  assertRectInside(from, tw, th, 'tensor region');
  assertRectInside({ ...from, x: toX, y: toY }, image.width, image.height, 'destination');
  const { mean, std } = normalization;
  const plane = tw * th;
  const src = tensor.data;
  const dst = image.data;
  for (let y = 0; y < from.height; y++) {
    let t = (from.y + y) * tw + from.x;
    let d = ((toY + y) * image.width + toX) * 4;
    for (let x = 0; x < from.width; x++, t++, d += 4) {
      if (channels === 1) {
        const v = toByte(src[t]! * std + mean);
        dst[d] = v;
        dst[d + 1] = v;
        dst[d + 2] = v;
        continue;
      }
      let r = src[t]! * std + mean;
      let g = src[plane + t]! * std + mean;
      let b = src[2 * plane + t]! * std + mean;
      if (channels === 4) {
        const a = Math.min(255, Math.max(0, src[3 * plane + t]! * std + mean));
        if (premultiplied) {
          // Colour under zero coverage is undefined; 0 keeps it deterministic.
          const k = a > 0 ? 255 / a : 0;
          r *= k;
          g *= k;
          b *= k;
        }
        dst[d + 3] = toByte(a);
      }
      dst[d] = toByte(r);
      dst[d + 1] = toByte(g);
      dst[d + 2] = toByte(b);
    }
  }
}
