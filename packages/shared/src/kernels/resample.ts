import { createRgbaImage, type RgbaImage, type Size } from '../image/rgba-image';
import { premultiplyInto, storeStraight } from './premultiplied';
import {
  KERNEL_SHAPES,
  WEIGHT_ONE,
  quantizeWeights,
  type FilterKernel,
  type ResampleKernel,
} from './resample-kernels';

/** Every destination index's source taps along one axis, `taps` per index, edge-clamped. */
interface AxisTaps {
  readonly taps: number;
  readonly index: Int32Array;
  readonly weight: Int32Array;
}

/**
 * Destination pixel i samples around source position (i + ½)·src/dst − ½ (pixel centres
 * aligned). Shrinking widens the kernel by src/dst so it averages what it drops (no aliasing);
 * enlarging keeps it at its own width. Taps past an edge repeat the edge pixel.
 */
function axisTaps(src: number, dst: number, kernel: FilterKernel): AxisTaps {
  const shape = KERNEL_SHAPES[kernel];
  const stretch = Math.max(1, src / dst);
  const support = shape.radius * stretch;
  const taps = Math.ceil(2 * support) + 1;
  const index = new Int32Array(dst * taps);
  const weight = new Int32Array(dst * taps);
  const raw: number[] = new Array<number>(taps);
  for (let i = 0; i < dst; i++) {
    const centre = ((2 * i + 1) * src) / (2 * dst) - 0.5;
    const first = Math.floor(centre - support) + 1;
    for (let k = 0; k < taps; k++) raw[k] = shape.weight((first + k - centre) / stretch);
    const w = quantizeWeights(raw);
    for (let k = 0; k < taps; k++) {
      index[i * taps + k] = Math.min(src - 1, Math.max(0, first + k));
      weight[i * taps + k] = w[k]!;
    }
  }
  return { taps, index, weight };
}

/** Nearest neighbour: source index ⌊(i + ½)·src/dst⌋ in integers, pixels copied whole. */
function nearest(image: RgbaImage, to: Size): RgbaImage {
  const out = createRgbaImage(to.width, to.height);
  const pick = (i: number, src: number, dst: number) => Math.floor(((2 * i + 1) * src) / (2 * dst));
  const xs = Int32Array.from({ length: to.width }, (_, x) => pick(x, image.width, to.width));
  for (let y = 0; y < to.height; y++) {
    const row = pick(y, image.height, to.height) * image.width;
    for (let x = 0; x < to.width; x++) {
      const s = 4 * (row + xs[x]!);
      const d = 4 * (y * to.width + x);
      out.data[d] = image.data[s]!;
      out.data[d + 1] = image.data[s + 1]!;
      out.data[d + 2] = image.data[s + 2]!;
      out.data[d + 3] = image.data[s + 3]!;
    }
  }
  return out;
}

/**
 * Resizes with a named kernel, separably and in exact integer arithmetic on premultiplied
 * RGBA: the same bytes in every JS engine, no colour bleeding from transparent pixels.
 * Source rows are filtered horizontally on demand into a ring as deep as the vertical taps,
 * so memory stays a few rows wide.
 *
 * @example resampleRgba(photo, { width: 640, height: 480 }, 'lanczos3')
 */
export function resampleRgba(image: RgbaImage, to: Size, kernel: ResampleKernel): RgbaImage {
  if (!Number.isInteger(to.width) || !Number.isInteger(to.height) || to.width < 1 || to.height < 1)
    throw new RangeError(`cannot resize to ${to.width}×${to.height}`);
  if (kernel === 'nearest') return nearest(image, to);
  const wx = axisTaps(image.width, to.width, kernel);
  const wy = axisTaps(image.height, to.height, kernel);
  const rowOut = 4 * to.width;
  const ring = Array.from({ length: wy.taps }, () => new Float64Array(rowOut));
  const ringRow = new Int32Array(wy.taps).fill(-1);
  const source = new Float64Array(4 * image.width);
  const horizontal = (y: number): Float64Array => {
    const slot = y % wy.taps;
    const row = ring[slot]!;
    if (ringRow[slot] === y) return row;
    ringRow[slot] = y;
    premultiplyInto(image.data, y * image.width, (y + 1) * image.width, source);
    for (let x = 0; x < to.width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let k = 0; k < wx.taps; k++) {
        const w = wx.weight[x * wx.taps + k]!;
        if (w === 0) continue;
        const s = 4 * wx.index[x * wx.taps + k]!;
        r += w * source[s]!;
        g += w * source[s + 1]!;
        b += w * source[s + 2]!;
        a += w * source[s + 3]!;
      }
      row[4 * x] = r;
      row[4 * x + 1] = g;
      row[4 * x + 2] = b;
      row[4 * x + 3] = a;
    }
    return row;
  };
  const out = createRgbaImage(to.width, to.height);
  const acc = new Float64Array(rowOut);
  const scale = WEIGHT_ONE * WEIGHT_ONE;
  for (let y = 0; y < to.height; y++) {
    acc.fill(0);
    for (let k = 0; k < wy.taps; k++) {
      const w = wy.weight[y * wy.taps + k]!;
      if (w === 0) continue;
      const row = horizontal(wy.index[y * wy.taps + k]!);
      for (let i = 0; i < rowOut; i++) acc[i] = acc[i]! + w * row[i]!;
    }
    for (let x = 0; x < to.width; x++)
      storeStraight(acc, 4 * x, scale, out.data, 4 * (y * to.width + x));
  }
  return out;
}
