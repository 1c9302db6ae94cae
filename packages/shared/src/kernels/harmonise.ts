/** A tile's `[1, C, tileHeight, tileWidth]` values, float or stored (see `unit`). */
export interface TileValues {
  readonly data: ArrayLike<number>;
  readonly dims: readonly number[];
}
import type { TileGrid } from './tiles';

/**
 * Makes the tiles of a globally-aware model agree before they are blended. Each MAXIM tile sees
 * only itself, so each dehazes (or brightens) the whole of what it sees by its own estimate:
 * measured on the outdoor-dehazing sample, neighbouring tiles' colours differ by per-channel
 * gains of 0.82–0.97 and offsets of 0.04–0.15, which feathering alone only spreads into broad
 * bands. Every tile gets one gain and one offset per channel, chosen by least squares so that
 * tiles agree where they overlap, pulled towards (1, 0) so that the picture keeps the tiles'
 * common answer rather than drifting to a flat one: minimise over all tiles i and channels
 *
 *   Σ_pairs mean_overlap((g_i·v_i + o_i) − (g_j·v_j + o_j))² + λ·Σ_i ((g_i − 1)² + o_i²)
 *
 * A grid of one tile keeps (1, 0) exactly.
 */

/** Per tile (as `grid.tiles`), per channel: the gain and offset applied to its values. */
export type TileCorrection = readonly (readonly [gain: number, offset: number])[];

/** λ: how strongly each tile is held to its own answer, against agreeing with its neighbours. */
export const HARMONISE_PULL = 0.5;
/** Pixels next to a tile's edge, where it has the least context, are left out of the fit. */
const EDGE = 4;

interface PairSums {
  readonly i: number;
  readonly j: number;
  /** Per channel: Σp, Σq, Σp², Σq², Σpq over the shared pixels, and their count. */
  readonly sums: Float64Array[];
  readonly n: number;
}

function overlapSums(
  grid: TileGrid,
  outputs: readonly TileValues[],
  channels: number,
  unit: number,
): PairSums[] {
  const { tileWidth: w, tileHeight: h } = grid;
  const plane = w * h;
  const pairs: PairSums[] = [];
  for (let i = 0; i < grid.tiles.length; i++) {
    for (let j = i + 1; j < grid.tiles.length; j++) {
      const a = grid.tiles[i]!.input;
      const b = grid.tiles[j]!.input;
      const x0 = Math.max(a.x, b.x) + EDGE;
      const x1 = Math.min(a.x + w, b.x + w) - EDGE;
      const y0 = Math.max(a.y, b.y) + EDGE;
      const y1 = Math.min(a.y + h, b.y + h) - EDGE;
      if (x1 <= x0 || y1 <= y0) continue;
      const p = outputs[i]!.data;
      const q = outputs[j]!.data;
      const sums = Array.from({ length: channels }, (_, c) => {
        const s = new Float64Array(5);
        for (let y = y0; y < y1; y++) {
          let u = c * plane + (y - a.y) * w + (x0 - a.x);
          let v = c * plane + (y - b.y) * w + (x0 - b.x);
          for (let x = x0; x < x1; x++, u++, v++) {
            const pv = p[u]! * unit;
            const qv = q[v]! * unit;
            s[0]! += pv;
            s[1]! += qv;
            s[2]! += pv * pv;
            s[3]! += qv * qv;
            s[4]! += pv * qv;
          }
        }
        return s;
      });
      pairs.push({ i, j, sums, n: (x1 - x0) * (y1 - y0) });
    }
  }
  return pairs;
}

/**
 * Solves the symmetric positive definite system `m·x = rhs` (n×n, row-major) in place, by
 * elimination limited to `band` entries either side of the diagonal: tiles only overlap their
 * grid neighbours, so a row-major grid's system is banded and a 12 MP picture's ~250 tiles
 * solve in well under a millisecond per channel. No pivoting is needed for an SPD matrix.
 */
function solveBanded(m: Float64Array, rhs: Float64Array, n: number, band: number): Float64Array {
  for (let k = 0; k < n; k++) {
    const last = Math.min(n - 1, k + band);
    const pivot = m[k * n + k]!;
    for (let r = k + 1; r <= last; r++) {
      const f = m[r * n + k]! / pivot;
      if (f === 0) continue;
      for (let c = k; c <= last; c++) m[r * n + c]! -= f * m[k * n + c]!;
      rhs[r]! -= f * rhs[k]!;
    }
  }
  const x = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    let v = rhs[k]!;
    for (let c = k + 1; c <= Math.min(n - 1, k + band); c++) v -= m[k * n + c]! * x[c]!;
    x[k] = v / m[k * n + k]!;
  }
  return x;
}

/**
 * The per-tile corrections for `outputs` (each tile's `[1, C, tileHeight, tileWidth]` values, in
 * `grid.tiles` order), on a 0..1 scale: value × `unit`.
 *
 * @example const fix = harmoniseTiles(grid, outputs, 3); // fix[i][c] = [gain, offset]
 */
export function harmoniseTiles(
  grid: TileGrid,
  outputs: readonly TileValues[],
  channels: number,
  /** What one stored unit is on the 0..1 scale the fit and its corrections use. */
  unit = 1,
  pull = HARMONISE_PULL,
): TileCorrection[] {
  const tiles = grid.tiles.length;
  const n = 2 * tiles;
  const pairs = overlapSums(grid, outputs, channels, unit);
  // Unknowns (g_i, o_i) at 2i, 2i+1: a pair (i, j) couples entries up to 2(j − i) + 1 apart.
  const band = pairs.reduce((b, { i, j }) => Math.max(b, 2 * (j - i) + 1), 1);
  const solved: Float64Array[] = [];
  for (let c = 0; c < channels; c++) {
    const m = new Float64Array(n * n);
    const rhs = new Float64Array(n);
    for (let i = 0; i < tiles; i++) {
      m[2 * i * n + 2 * i] = pull;
      m[(2 * i + 1) * n + 2 * i + 1] = pull;
      rhs[2 * i] = pull;
    }
    for (const { i, j, sums, n: count } of pairs) {
      // Each pair weighs the same whatever its area: a mean over its pixels.
      const [p, q, pp, qq, pq] = Array.from(sums[c]!, (s) => s / count) as [
        number,
        number,
        number,
        number,
        number,
      ];
      const [gi, oi, gj, oj] = [2 * i, 2 * i + 1, 2 * j, 2 * j + 1];
      // Normal equations of mean((g_i·p + o_i − g_j·q − o_j)²): row, column, coefficient.
      const terms: [number, number, number][] = [
        [gi, gi, pp],
        [gi, oi, p],
        [gi, gj, -pq],
        [gi, oj, -p],
        [oi, gi, p],
        [oi, oi, 1],
        [oi, gj, -q],
        [oi, oj, -1],
        [gj, gi, -pq],
        [gj, oi, -q],
        [gj, gj, qq],
        [gj, oj, q],
        [oj, gi, -p],
        [oj, oi, -1],
        [oj, gj, q],
        [oj, oj, 1],
      ];
      for (const [r, col, v] of terms) m[r * n + col]! += v;
    }
    solved.push(solveBanded(m, rhs, n, band));
  }
  return grid.tiles.map((_, i) => solved.map((x) => [x[2 * i]!, x[2 * i + 1]!] as const));
}
