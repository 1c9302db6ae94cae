import type { RgbaImage } from '@loupe/shared';
import { toImageData } from '../../lib/image-canvas';
import { tileCount, tileGrid, tileRect, tileSizeAt, type TileGrid } from './tile-grid';

/**
 * Full-resolution tiles kept once nothing shows them: enough to pan around a 1:1 view without
 * remaking tiles, 64 MiB at most. All of them would double the picture's memory (a 12000² result
 * is 576 MB).
 */
const SPARE_FULL_TILES = 16;

/**
 * A picture as ImageBitmap tiles for the compare view (see tile-grid.ts): the coarser levels
 * are all made up front, each full-resolution tile only while it is drawn, because that level
 * alone is as large as the picture. Bitmaps are premultiplied once here, as a canvas stores
 * them, so drawing them copies pixels without converting (and gives what `putImageData` gave).
 */
export class ImagePyramid {
  readonly grid: TileGrid;
  private readonly pixels: ImageData;
  /** coarse[level - 1][tile], level ≥ 1. */
  private readonly coarse: (ImageBitmap | undefined)[][];
  /** Level 0, least recently wanted first. */
  private readonly full = new Map<number, ImageBitmap>();
  private readonly making = new Set<number>();
  private shown = new Set<number>();
  private readonly queue: number[];
  private readonly listeners = new Set<() => void>();
  private disposed = false;

  constructor(image: RgbaImage) {
    this.grid = tileGrid(image);
    this.pixels = toImageData(image);
    this.coarse = Array.from({ length: this.grid.levels - 1 }, () => []);
    this.queue =
      this.grid.levels > 1 ? Array.from({ length: tileCount(this.grid) }, (_, i) => i) : [];
    // A failed allocation leaves the missing tiles to the levels that exist; nothing to report.
    this.buildCoarse().catch(() => undefined);
  }

  has(tile: number, level: number): boolean {
    return this.bitmap(tile, level) !== undefined;
  }

  bitmap(tile: number, level: number): ImageBitmap | undefined {
    return level === 0 ? this.full.get(tile) : this.coarse[level - 1]?.[tile];
  }

  /**
   * The tiles a draw needs at `level`. Level 0 tiles are made now and the rest of that level
   * beyond the spares is freed; coarser levels are being built already, the shown tiles first.
   */
  want(tiles: readonly number[], level: number): void {
    if (this.disposed) return;
    if (level > 0) {
      const first = new Set(tiles);
      this.queue.sort((a, b) => Number(first.has(b)) - Number(first.has(a)));
      this.shown = new Set();
      this.evict();
      return;
    }
    this.shown = new Set(tiles);
    for (const tile of tiles) {
      const bitmap = this.full.get(tile);
      if (bitmap) {
        this.full.delete(tile);
        this.full.set(tile, bitmap);
      } else if (!this.making.has(tile)) {
        this.making.add(tile);
        this.fullTile(tile).then(
          (made) => {
            this.making.delete(tile);
            if (this.disposed) return made.close();
            this.full.set(tile, made);
            this.evict();
            this.changed();
          },
          // The next draw that wants it tries again; meanwhile a coarser level stands in.
          () => this.making.delete(tile),
        );
      }
    }
  }

  /** Calls `listener` whenever a tile is added; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    for (const bitmap of this.full.values()) bitmap.close();
    this.full.clear();
    for (const level of this.coarse) for (const bitmap of level) bitmap?.close();
    this.coarse.length = 0;
    this.listeners.clear();
  }

  private fullTile(tile: number): Promise<ImageBitmap> {
    const r = tileRect(this.grid, tile);
    return createImageBitmap(this.pixels, r.x, r.y, r.width, r.height, {
      premultiplyAlpha: 'premultiply',
      colorSpaceConversion: 'none',
    });
  }

  /** Halves each tile level by level, one tile at a time so only one full tile is transient. */
  private async buildCoarse(): Promise<void> {
    for (let tile = this.queue.shift(); tile !== undefined; tile = this.queue.shift()) {
      // A full tile being drawn stays with `full`; one made here just to be halved does not.
      const kept = this.full.get(tile);
      const made = kept ? undefined : await this.fullTile(tile);
      let from = (kept ?? made)!;
      for (let level = 1; level < this.grid.levels; level++) {
        const size = tileSizeAt(this.grid, tile, level);
        const half = await createImageBitmap(from, {
          resizeWidth: size.width,
          resizeHeight: size.height,
          resizeQuality: 'high',
        });
        if (this.disposed) {
          half.close();
          break;
        }
        this.coarse[level - 1]![tile] = half;
        from = half;
      }
      made?.close();
      if (this.disposed) return;
      this.changed();
    }
  }

  private evict(): void {
    for (const [tile, bitmap] of this.full) {
      if (this.full.size <= this.shown.size + SPARE_FULL_TILES) return;
      if (this.shown.has(tile)) continue;
      bitmap.close();
      this.full.delete(tile);
    }
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

const shared = new Map<RgbaImage, { pyramid: ImagePyramid; users: number }>();

/**
 * The pyramid of `image`, shared by every layer that shows it (side by side, the flashed
 * original). Pair each call with `releasePyramid`.
 */
export function acquirePyramid(image: RgbaImage): ImagePyramid {
  let entry = shared.get(image);
  if (!entry) {
    entry = { pyramid: new ImagePyramid(image), users: 0 };
    shared.set(image, entry);
  }
  entry.users++;
  return entry.pyramid;
}

/**
 * Frees the pyramid once no layer uses it. Not at once: a layer that remounts (the panes do when
 * the comparison mode changes) releases and acquires in one commit and must not rebuild it.
 */
export function releasePyramid(image: RgbaImage): void {
  const entry = shared.get(image);
  if (!entry) return;
  entry.users--;
  setTimeout(() => {
    if (entry.users > 0 || shared.get(image) !== entry) return;
    shared.delete(image);
    entry.pyramid.dispose();
  });
}
