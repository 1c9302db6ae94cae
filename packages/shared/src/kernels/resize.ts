import { createRgbaImage, type RgbaImage, type Size } from '../image/rgba-image';
import { toByte } from './tensor';

/**
 * `bilinear`: pixel-centre aligned (destination pixel i samples source position
 * (i + 0.5)·src/dst − 0.5, edges clamped), what models are trained against.
 * `area`: each destination pixel averages the source area it covers, which keeps
 * large downscales from aliasing.
 */
export type ResizeFilter = 'bilinear' | 'area';

/** Source taps of every destination index along one axis: `taps` per index, zero-padded. */
interface AxisWeights {
  readonly taps: number;
  readonly starts: Int32Array;
  readonly weights: Float64Array;
}

function bilinearWeights(src: number, dst: number): AxisWeights {
  const taps = src === 1 ? 1 : 2;
  const starts = new Int32Array(dst);
  const weights = new Float64Array(dst * taps);
  for (let i = 0; i < dst; i++) {
    if (taps === 1) {
      weights[i] = 1;
      continue;
    }
    const pos = Math.min(src - 1, Math.max(0, ((i + 0.5) * src) / dst - 0.5));
    const start = Math.min(src - 2, Math.floor(pos));
    const f = pos - start;
    starts[i] = start;
    weights[2 * i] = 1 - f;
    weights[2 * i + 1] = f;
  }
  return { taps, starts, weights };
}

function areaWeights(src: number, dst: number): AxisWeights {
  const ratio = src / dst;
  const taps = Math.ceil(ratio) + 1;
  const starts = new Int32Array(dst);
  const weights = new Float64Array(dst * taps);
  for (let i = 0; i < dst; i++) {
    const lo = i * ratio;
    const hi = Math.min(src, (i + 1) * ratio);
    const start = Math.floor(lo);
    starts[i] = start;
    for (let k = 0; start + k < hi && k < taps; k++) {
      const covered = Math.min(hi, start + k + 1) - Math.max(lo, start + k);
      weights[i * taps + k] = covered / ratio;
    }
  }
  return { taps, starts, weights };
}

const axisWeights = (src: number, dst: number, filter: ResizeFilter) =>
  filter === 'area' ? areaWeights(src, dst) : bilinearWeights(src, dst);

type Plane = Uint8Array | Float32Array;

/**
 * Separable resample of interleaved `channels`-channel pixels from `from` to `to` into `out`.
 * Byte destinations are rounded half away from zero; float ones are stored as computed.
 * Source rows are resampled horizontally on demand into a ring of `taps` rows: destination
 * rows need monotonically later source rows, so each is computed at most once and memory
 * stays a few rows wide even when a 50 MP photo is shrunk for ISNet.
 */
function resample(
  src: Plane,
  from: Size,
  channels: number,
  to: Size,
  filter: ResizeFilter,
  out: Plane,
): void {
  const wx = axisWeights(from.width, to.width, filter);
  const wy = axisWeights(from.height, to.height, filter);
  const rowIn = from.width * channels;
  const rowOut = to.width * channels;
  const ring = Array.from({ length: wy.taps }, () => new Float32Array(rowOut));
  const ringRow = new Int32Array(wy.taps).fill(-1);
  const horizontal = (y: number): Float32Array => {
    const slot = y % wy.taps;
    const row = ring[slot]!;
    if (ringRow[slot] === y) return row;
    ringRow[slot] = y;
    const s0 = y * rowIn;
    for (let x = 0; x < to.width; x++) {
      const start = wx.starts[x]!;
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = 0; k < wx.taps; k++) {
          const w = wx.weights[x * wx.taps + k]!;
          if (w !== 0) sum += w * src[s0 + (start + k) * channels + c]!;
        }
        row[x * channels + c] = sum;
      }
    }
    return row;
  };
  const acc = new Float64Array(rowOut);
  const bytes = out instanceof Uint8Array;
  for (let y = 0; y < to.height; y++) {
    acc.fill(0);
    for (let k = 0; k < wy.taps; k++) {
      const w = wy.weights[y * wy.taps + k]!;
      if (w === 0) continue;
      const row = horizontal(wy.starts[y]! + k);
      for (let i = 0; i < rowOut; i++) acc[i] = acc[i]! + w * row[i]!;
    }
    const o0 = y * rowOut;
    if (bytes) for (let i = 0; i < rowOut; i++) out[o0 + i] = toByte(acc[i]!);
    else for (let i = 0; i < rowOut; i++) out[o0 + i] = acc[i]!;
  }
}

/**
 * Resizes all four channels of straight RGBA as they are. Callers that care about
 * transparent pixels' colour resize alpha separately (see alpha.ts).
 *
 * @example resizeRgba(image, { width: 1024, height: 1024 }) // ISNet's input
 */
export function resizeRgba(
  image: RgbaImage,
  to: Size,
  filter: ResizeFilter = 'bilinear',
): RgbaImage {
  const out = createRgbaImage(to.width, to.height);
  resample(image.data, image, 4, to, filter, out.data);
  return out;
}

/**
 * Resizes one plane (a mask, an alpha channel) and returns a new plane of the same type.
 *
 * @example resizePlane(Float32Array.of(0, 1), { width: 2, height: 1 }, { width: 4, height: 1 })
 *   // Float32Array [0, 0.25, 0.75, 1]
 */
export function resizePlane<T extends Plane>(
  plane: T,
  from: Size,
  to: Size,
  filter: ResizeFilter = 'bilinear',
): T {
  if (plane.length !== from.width * from.height) {
    throw new RangeError(`plane has ${plane.length} values for ${from.width}×${from.height}`);
  }
  const n = to.width * to.height;
  const out = (plane instanceof Uint8Array ? new Uint8Array(n) : new Float32Array(n)) as T;
  resample(plane, from, 1, to, filter, out);
  return out;
}
