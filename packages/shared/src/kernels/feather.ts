import type { TensorData } from '../engine/model-runner';
import type { RgbaImage } from '../image/rgba-image';
import type { Normalization } from '../models/model-specs';
import { toByte } from './tensor';
import type { TileGrid } from './tiles';

/**
 * Cross-fading tiles instead of cutting them, for models whose answer for a pixel depends on
 * the whole tile (MAXIM's gMLP grid blocks mix every pixel of it): two tiles then disagree by a
 * smooth colour offset (a dehazed sky is lighter in one than in the other), which a cut shows as
 * a straight seam. Around each cut of the grid, the two tiles are blended linearly over
 * `2·r` pixels, r ≤ the grid's overlap and never reaching a third tile's ramp, so along each
 * axis the weights of the tiles sum to exactly 1 and away from the cuts every pixel is its one
 * tile's answer, as with a cut.
 */

const IDENTITY = [
  [1, 0],
  [1, 0],
  [1, 0],
] as const;

/** One tile's weights along each axis, over its input extent in output pixels (× scale). */
export interface TileFeather {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

interface Axis {
  readonly starts: readonly number[];
  readonly cuts: readonly number[];
  readonly length: number;
}

/** Half-width of the ramp at cut k: inside both tiles and clear of the neighbouring cuts. */
function rampHalfWidth(axis: Axis, k: number, overlap: number): number {
  const { starts, cuts, length } = axis;
  const cut = cuts[k]!;
  const validLeft = cut - (k === 0 ? 0 : cuts[k - 1]!);
  const validRight = (k + 1 < cuts.length ? cuts[k + 1]! : Number.POSITIVE_INFINITY) - cut;
  return Math.max(
    0,
    Math.min(
      overlap,
      cut - starts[k + 1]!,
      starts[k]! + length - cut,
      Math.floor(validLeft / 2),
      Math.floor(validRight / 2),
    ),
  );
}

/** Weight of the tile right of (below) a cut at output pixel `p`; the other tile gets 1 − it. */
function rise(p: number, cut: number, half: number, scale: number): number {
  const u = (p + 0.5) / scale;
  if (half === 0) return u >= cut ? 1 : 0;
  return Math.min(1, Math.max(0, (u - (cut - half)) / (2 * half)));
}

function axisWeights(axis: Axis, overlap: number, scale: number): Float64Array[] {
  const halves = axis.cuts.map((_, k) => rampHalfWidth(axis, k, overlap));
  return axis.starts.map((start, i) => {
    const w = new Float64Array(axis.length * scale);
    for (let j = 0; j < w.length; j++) {
      const p = start * scale + j;
      const fromLeft = i > 0 ? rise(p, axis.cuts[i - 1]!, halves[i - 1]!, scale) : 1;
      const fromRight = i < axis.cuts.length ? 1 - rise(p, axis.cuts[i]!, halves[i]!, scale) : 1;
      w[j] = fromLeft * fromRight;
    }
    return w;
  });
}

/**
 * The blend weights of every tile of `grid` (row-major, as `grid.tiles`) for a model of output
 * scale `scale`. Along each axis the tiles' weights sum to 1 at every pixel.
 *
 * @example featherWeights(tileGrid({ width: 400, height: 256 }, { tile: 256, overlap: 32 }), 32, 1)
 *   // two tiles at x = 0 and 144, cut at 272 − 72 = 200: tile 0 fades out over x 168…232
 */
export function featherWeights(grid: TileGrid, overlap: number, scale: number): TileFeather[] {
  const row = grid.tiles.slice(0, grid.columns);
  const column = grid.tiles.filter((_, i) => i % grid.columns === 0);
  const xs = axisWeights(
    {
      starts: row.map((t) => t.input.x),
      cuts: row.slice(1).map((t) => t.valid.x),
      length: grid.tileWidth,
    },
    overlap,
    scale,
  );
  const ys = axisWeights(
    {
      starts: column.map((t) => t.input.y),
      cuts: column.slice(1).map((t) => t.valid.y),
      length: grid.tileHeight,
    },
    overlap,
    scale,
  );
  return grid.tiles.map((_, i) => ({
    x: xs[i % grid.columns]!,
    y: ys[Math.floor(i / grid.columns)]!,
  }));
}

/**
 * Adds `weights`·(tensor·std + mean) of a `[1, 3, H, W]` tile output into `acc` (RGB floats, the
 * output's width), the tile's top-left at (`atX`, `atY`) in output pixels.
 */
export function accumulateTile(
  tensor: TensorData,
  weights: TileFeather,
  acc: Float32Array,
  accWidth: number,
  atX: number,
  atY: number,
  normalization: Normalization,
  /** Per channel, applied to the model's values first (see harmonise.ts). */
  correction?: readonly (readonly [gain: number, offset: number])[],
): void {
  const [n, c, h, w] = tensor.dims;
  if (
    tensor.dims.length !== 4 ||
    n !== 1 ||
    c !== 3 ||
    h !== weights.y.length ||
    w !== weights.x.length
  )
    throw new RangeError(
      `expected a [1, 3, ${weights.y.length}, ${weights.x.length}] tensor, got [${tensor.dims.join(', ')}]`,
    );
  const { mean, std } = normalization;
  const plane = w * h;
  const src = tensor.data;
  const fix = correction ?? IDENTITY;
  const [gr, or] = fix[0]!;
  const [gg, og] = fix[1]!;
  const [gb, ob] = fix[2]!;
  for (let y = 0; y < h; y++) {
    const wy = weights.y[y]!;
    if (wy === 0) continue;
    let t = y * w;
    let a = ((atY + y) * accWidth + atX) * 3;
    for (let x = 0; x < w; x++, t++, a += 3) {
      const k = wy * weights.x[x]!;
      if (k === 0) continue;
      acc[a]! += k * ((src[t]! * gr + or) * std + mean);
      acc[a + 1]! += k * ((src[plane + t]! * gg + og) * std + mean);
      acc[a + 2]! += k * ((src[2 * plane + t]! * gb + ob) * std + mean);
    }
  }
}

/** The accumulated RGB into `image` as bytes (clamped, rounded as `toByte`); alpha untouched. */
export function writeAccumulated(acc: Float32Array, image: RgbaImage): void {
  const dst = image.data;
  for (let a = 0, d = 0; a < acc.length; a += 3, d += 4) {
    dst[d] = toByte(acc[a]!);
    dst[d + 1] = toByte(acc[a + 1]!);
    dst[d + 2] = toByte(acc[a + 2]!);
  }
}
