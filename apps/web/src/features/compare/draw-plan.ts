import type { Size } from '@loupe/shared';
import type { View } from '../../stores/editor-store';
import { tileRect, tileSizeAt, TILE_SIDE, type TileGrid } from './tile-grid';

/**
 * One layer on screen: its picture laid out at `display` size (the result's, so an original
 * smaller than its upscale is stretched to it) and placed by the shared `view`, drawn into a
 * canvas of `canvas` device pixels whose origin is the pane's first whole device pixel.
 */
export interface LayerView {
  readonly display: Size;
  readonly view: View;
  readonly dpr: number;
  readonly canvas: Size;
}

/** `drawImage(tile at level, sx, sy, sw, sh, dx, dy, dw, dh)` with smoothing on or off. */
export interface TileDraw {
  readonly tile: number;
  readonly level: number;
  readonly smooth: boolean;
  readonly sx: number;
  readonly sy: number;
  readonly sw: number;
  readonly sh: number;
  readonly dx: number;
  readonly dy: number;
  readonly dw: number;
  readonly dh: number;
}

export interface DrawPlan {
  /** The level this view should be drawn from. */
  readonly level: number;
  /** Tiles that cover the canvas: the ones to make, or keep, at `level`. */
  readonly visible: readonly number[];
  /** One per visible tile that exists at some level; a tile missing at `level` comes from another. */
  readonly draws: readonly TileDraw[];
  /** Every visible tile is drawn from `level`: the canvas shows what the view asks for. */
  readonly complete: boolean;
}

/**
 * Float noise in `zoom × dpr` must not turn 1:1 (zoom = 1/dpr) into a minified, smoothed
 * draw: 1 / 1.9 × 1.9 is 0.9999999999999999.
 */
const EPSILON = 1e-9;

/** Device pixels per image pixel, per axis. */
function layerScale(image: Size, layer: LayerView): { x: number; y: number } {
  const k = layer.view.zoom * layer.dpr;
  return {
    x: (k * layer.display.width) / image.width,
    y: (k * layer.display.height) / image.height,
  };
}

/**
 * The coarsest level still at least as sharp as the screen: drawing from it shrinks by less
 * than 2×, little enough for plain bilinear filtering not to alias (unless the view is smaller
 * than half the coarsest level).
 *
 * @example levelFor(1 / 12, 4) // 3: 12000² fitted to 1000 device px is drawn from 1500²
 */
export function levelFor(scale: number, levels: number): number {
  if (scale >= 1 - EPSILON) return 0;
  return Math.min(levels - 1, Math.floor(-Math.log2(scale) + EPSILON));
}

/**
 * What to draw for one layer: the visible tiles at the level the view needs, each clipped to
 * the canvas. At level 0 magnified (1:1 included) the draw is nearest-neighbour with the exact
 * mapping, so every image pixel lands on its own block of device pixels and tiles meet without
 * a seam. Smoothed draws snap their edges to whole device pixels: a canvas that antialiases
 * fractional image edges would show the background through the joins.
 *
 * `has(tile, level)` says which tiles exist yet; missing ones fall back to a coarser level,
 * then to a finer one, and are left out (transparent) when no level has them.
 */
export function planDraws(
  grid: TileGrid,
  layer: LayerView,
  has: (tile: number, level: number) => boolean,
): DrawPlan {
  const scale = layerScale(grid.image, layer);
  const x: Axis = { origin: layer.view.x * layer.dpr, scale: scale.x, extent: layer.canvas.width };
  const y: Axis = { origin: layer.view.y * layer.dpr, scale: scale.y, extent: layer.canvas.height };
  const along = Math.max(scale.x, scale.y);
  const level = levelFor(along, grid.levels);
  const visible = visibleTiles(grid, x, y);
  const fallbacks = [level, ...range(level + 1, grid.levels), ...range(0, level).reverse()];
  const draws: TileDraw[] = [];
  let complete = true;
  for (const tile of visible) {
    const from = fallbacks.find((l) => has(tile, l));
    if (from !== level) complete = false;
    if (from === undefined) continue;
    const smooth = from > 0 || along < 1 - EPSILON;
    const draw = tileDraw(grid, tile, from, smooth, x, y);
    if (draw) draws.push(draw);
  }
  return { level, visible, draws, complete };
}

/** One screen axis: the picture's origin in canvas device pixels, device pixels per image pixel, canvas size. */
interface Axis {
  readonly origin: number;
  readonly scale: number;
  readonly extent: number;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** The image pixels [from, to) the canvas shows along `axis`, or null when none. */
function shown(axis: Axis, length: number): { from: number; to: number } | null {
  const from = Math.max(0, -axis.origin / axis.scale);
  const to = Math.min(length, (axis.extent - axis.origin) / axis.scale);
  return to > from ? { from, to } : null;
}

/** Tiles whose picture area meets the canvas, row-major. */
function visibleTiles(grid: TileGrid, x: Axis, y: Axis): number[] {
  const cols = shown(x, grid.image.width);
  const rows = shown(y, grid.image.height);
  if (!cols || !rows) return [];
  const tiles: number[] = [];
  for (let row = Math.floor(rows.from / TILE_SIDE); row < Math.ceil(rows.to / TILE_SIDE); row++)
    for (let col = Math.floor(cols.from / TILE_SIDE); col < Math.ceil(cols.to / TILE_SIDE); col++)
      tiles.push(row * grid.columns + col);
  return tiles;
}

function tileDraw(
  grid: TileGrid,
  tile: number,
  level: number,
  smooth: boolean,
  x: Axis,
  y: Axis,
): TileDraw | null {
  const rect = tileRect(grid, tile);
  const size = tileSizeAt(grid, tile, level);
  const h = span({ start: rect.x, length: rect.width, texels: size.width }, x, smooth);
  const v = span({ start: rect.y, length: rect.height, texels: size.height }, y, smooth);
  if (!h || !v) return null;
  return {
    tile,
    level,
    smooth,
    sx: h.s0,
    sy: v.s0,
    sw: h.s1 - h.s0,
    sh: v.s1 - v.s0,
    dx: h.d0,
    dy: v.d0,
    dw: h.d1 - h.d0,
    dh: v.d1 - v.d0,
  };
}

/**
 * One axis of a tile draw. The tile covers image pixels [start, start + length) with `texels`
 * pixels at its level; the source is clipped to whole texels that reach the canvas.
 */
function span(
  tile: { start: number; length: number; texels: number },
  axis: Axis,
  smooth: boolean,
): { s0: number; s1: number; d0: number; d1: number } | null {
  const { start, length, texels } = tile;
  // (t × length) / texels is exact at t = texels, so neighbouring tiles share their edge.
  const toDevice = (t: number) => axis.origin + (start + (t * length) / texels) * axis.scale;
  const toTexel = (d: number) => (((d - axis.origin) / axis.scale - start) * texels) / length;
  // Smoothing samples one texel beyond the canvas edge so that edge blends real neighbours.
  const margin = smooth ? 1 : 0;
  const s0 = Math.max(0, Math.floor(toTexel(0)) - margin);
  const s1 = Math.min(texels, Math.ceil(toTexel(axis.extent)) + margin);
  if (s1 <= s0) return null;
  const d0 = smooth ? Math.round(toDevice(s0)) : toDevice(s0);
  const d1 = smooth ? Math.round(toDevice(s1)) : toDevice(s1);
  return d1 > d0 ? { s0, s1, d0, d1 } : null;
}
