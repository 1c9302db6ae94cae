import type { Size } from '@loupe/shared';

/** A point of a stroke in image pixels; `pressure` (0–1, a pen's) scales the brush, 1 if absent. */
export interface StrokePoint {
  readonly x: number;
  readonly y: number;
  readonly pressure?: number;
}

/** What a stroke does to the mask: the brush adds to it, the eraser takes away. */
export const BRUSH_TOOLS = ['brush', 'eraser'] as const;
export type BrushTool = (typeof BRUSH_TOOLS)[number];

/** One press-drag-release of the brush or eraser, in image pixels. */
export interface Stroke {
  readonly tool: BrushTool;
  /** Brush radius at full pressure, image pixels. */
  readonly radius: number;
  readonly points: readonly StrokePoint[];
}

/** The part of a coverage raster a change touched, in image pixels (right and bottom exclusive). */
export interface DirtyRect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

const radiusAt = (stroke: Stroke, p: StrokePoint) => stroke.radius * (p.pressure ?? 1);

/**
 * Stamps the segment from `a` to `b` (a capsule whose radius runs from a's to b's) into
 * `coverage`: a pixel whose centre lies within it becomes 255 (brush) or 0 (eraser). Hard
 * edges, so the same strokes give the same bytes everywhere; softness is the feather's.
 */
function stampSegment(
  coverage: Uint8Array,
  size: Size,
  stroke: Stroke,
  a: StrokePoint,
  b: StrokePoint,
): DirtyRect | null {
  const ra = radiusAt(stroke, a);
  const rb = radiusAt(stroke, b);
  const reach = Math.max(ra, rb);
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - reach));
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - reach));
  const x1 = Math.min(size.width, Math.ceil(Math.max(a.x, b.x) + reach) + 1);
  const y1 = Math.min(size.height, Math.ceil(Math.max(a.y, b.y) + reach) + 1);
  if (x1 <= x0 || y1 <= y0) return null;
  const value = stroke.tool === 'brush' ? 255 : 0;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  for (let y = y0; y < y1; y++) {
    const py = y + 0.5;
    for (let x = x0; x < x1; x++) {
      const px = x + 0.5;
      // The nearest point of the segment to the pixel's centre, and the radius there.
      const t = length2
        ? Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / length2))
        : 0;
      const cx = a.x + t * dx - px;
      const cy = a.y + t * dy - py;
      const r = ra + t * (rb - ra);
      if (cx * cx + cy * cy <= r * r) coverage[y * size.width + x] = value;
    }
  }
  return { x0, y0, x1, y1 };
}

/**
 * Paints `stroke`'s segments from point `from` on (0: the whole stroke, a lone point is a dot)
 * into `coverage`, one byte a pixel of `size`. Returns what changed, or null.
 *
 * @example paintStroke(coverage, { width: 8, height: 8 }, { tool: 'brush', radius: 1, points: [{ x: 4, y: 4 }] })
 *   // the 2×2 pixels around (4, 4) become 255
 */
export function paintStroke(
  coverage: Uint8Array,
  size: Size,
  stroke: Stroke,
  from = 0,
): DirtyRect | null {
  const { points } = stroke;
  let dirty: DirtyRect | null = null;
  const start = Math.max(0, from);
  for (let i = start; i < points.length; i++) {
    const a = points[i === 0 ? 0 : i - 1]!;
    dirty = union(dirty, stampSegment(coverage, size, stroke, a, points[i]!));
  }
  return dirty;
}

export function union(a: DirtyRect | null, b: DirtyRect | null): DirtyRect | null {
  if (!a) return b;
  if (!b) return a;
  return {
    x0: Math.min(a.x0, b.x0),
    y0: Math.min(a.y0, b.y0),
    x1: Math.max(a.x1, b.x1),
    y1: Math.max(a.y1, b.y1),
  };
}
