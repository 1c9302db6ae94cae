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
 *   // two tiles at x = 0 and 144, cut at x = 200 (mid-overlap): tile 0 fades out over x 168…232
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

/** Stored tile values: the output byte (clamped to 0..255) × this, rounded: 1/256 of a level. */
export const TILE_STORE_SCALE = 256;
const STORE_MAX = 255 * TILE_STORE_SCALE;

/**
 * A `[1, 3, H, W]` model output as 16-bit planes of output bytes × 256 (clamped to 0..255 first:
 * they end there anyway): 6 bytes a pixel instead of 12, for every tile a feathered run keeps.
 */
export function storeTile(tensor: TensorData, normalization: Normalization): Uint16Array {
  const [n, c] = tensor.dims;
  if (tensor.dims.length !== 4 || n !== 1 || c !== 3)
    throw new RangeError(`expected a [1, 3, H, W] tensor, got [${tensor.dims.join(', ')}]`);
  const { mean, std } = normalization;
  const src = tensor.data;
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const byte = Math.min(255, Math.max(0, src[i]! * std + mean));
    out[i] = Math.round(byte * TILE_STORE_SCALE);
  }
  return out;
}

/** Per output coordinate along one axis: up to two (tile index along the axis, weight) pairs. */
interface AxisCover {
  readonly index: Int32Array;
  readonly weight: Float64Array;
}

function axisCover(
  starts: readonly number[],
  weights: readonly Float64Array[],
  length: number,
): AxisCover {
  const index = new Int32Array(2 * length).fill(-1);
  const weight = new Float64Array(2 * length);
  starts.forEach((start, i) => {
    const w = weights[i]!;
    for (let j = 0; j < w.length; j++) {
      if (w[j] === 0) continue;
      const p = start + j;
      const slot = index[2 * p] === -1 ? 2 * p : 2 * p + 1;
      if (index[slot] !== -1) throw new RangeError(`three tiles weigh on pixel ${p}`);
      index[slot] = i;
      weight[slot] = w[j]!;
    }
  });
  return { index, weight };
}

/**
 * Writes the feathered blend of every tile into `image`'s RGB (alpha untouched): each output
 * pixel gathers the ≤ 2×2 tiles that weigh on it, applies each tile's correction (harmonise.ts:
 * per channel, on values in 0..1) and rounds once, so nothing the size of the picture is held
 * besides the tiles themselves. `tiles` are `storeTile`'s planes in `grid.tiles` order.
 */
export function composeFeathered(
  grid: TileGrid,
  tiles: readonly Uint16Array[],
  weights: readonly TileFeather[],
  image: RgbaImage,
  scale: number,
  corrections?: readonly (readonly (readonly [gain: number, offset: number])[])[],
): void {
  const tw = grid.tileWidth * scale;
  const th = grid.tileHeight * scale;
  const plane = tw * th;
  const columns = grid.tiles.slice(0, grid.columns);
  const rows = grid.tiles.filter((_, i) => i % grid.columns === 0);
  const xs = axisCover(
    columns.map((t) => t.input.x * scale),
    columns.map((_, c) => weights[c]!.x),
    image.width,
  );
  const ys = axisCover(
    rows.map((t) => t.input.y * scale),
    rows.map((_, r) => weights[r * grid.columns]!.y),
    image.height,
  );
  const gain = new Float64Array(3 * tiles.length);
  const offset = new Float64Array(3 * tiles.length);
  for (let i = 0; i < tiles.length; i++)
    for (let c = 0; c < 3; c++) {
      const [g, o] = corrections?.[i]?.[c] ?? [1, 0];
      // Stored units in, bytes out: byte = (g · stored / STORE_MAX + o) · 255.
      gain[3 * i + c] = (g * 255) / STORE_MAX;
      offset[3 * i + c] = o * 255;
    }
  const dst = image.data;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 2 * y; sy < 2 * y + 2; sy++) {
        const row = ys.index[sy]!;
        if (row < 0) continue;
        const wy = ys.weight[sy]!;
        const ty = y - grid.tiles[row * grid.columns]!.input.y * scale;
        for (let sx = 2 * x; sx < 2 * x + 2; sx++) {
          const col = xs.index[sx]!;
          if (col < 0) continue;
          const k = wy * xs.weight[sx]!;
          const t = row * grid.columns + col;
          const at = ty * tw + (x - grid.tiles[col]!.input.x * scale);
          const v = tiles[t]!;
          r += k * (v[at]! * gain[3 * t]! + offset[3 * t]!);
          g += k * (v[plane + at]! * gain[3 * t + 1]! + offset[3 * t + 1]!);
          b += k * (v[2 * plane + at]! * gain[3 * t + 2]! + offset[3 * t + 2]!);
        }
      }
      const d = (y * image.width + x) * 4;
      dst[d] = toByte(r);
      dst[d + 1] = toByte(g);
      dst[d + 2] = toByte(b);
    }
  }
}
