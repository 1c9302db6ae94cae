/** Brush radii in image pixels: `[` and `]` step through these, the slider moves between them. */
export const MIN_BRUSH_RADIUS = 1;
export const MAX_BRUSH_RADIUS = 256;
export const DEFAULT_BRUSH_RADIUS = 12;
export const MAX_FEATHER = 64;

/**
 * The next brush radius up (`]`, +1) or down (`[`, −1): steps of about 20%, at least one pixel,
 * so small brushes are finely sized and large ones are reached in a few presses.
 *
 * @example stepBrushRadius(12, 1) // 15
 */
export function stepBrushRadius(radius: number, direction: 1 | -1): number {
  const step = Math.max(1, Math.round(radius * 0.2));
  return Math.min(MAX_BRUSH_RADIUS, Math.max(MIN_BRUSH_RADIUS, radius + direction * step));
}
