import type { Size } from '@loupe/shared';
import type { PreviewScreen } from '../stores/preview-store';

/**
 * The longest side of a preview: what the viewer draws a fitted picture from at most (its
 * coarsest level, compare/tile-grid.ts), so a preview is never sharper than a fitted result.
 */
export const PREVIEW_MAX_SIDE = 2048;

export interface PreviewSize {
  readonly size: Size;
  /** `size` over the input's: what pixel params are scaled by (1 when not shrunk). */
  readonly scale: number;
}

/**
 * How large a preview of `input` is made: as many pixels as the screen shows of it (the view's
 * zoom, or the pane's fit before there is a view, times devicePixelRatio), never more than the
 * input has, never a side over `maxSide`.
 *
 * @example previewSize({ width: 6000, height: 4000 }, { width: 900, height: 600, dpr: 2 })
 *   // { size: 1800×1200, scale: 0.3 }: fitted, 900×600 CSS px are 1800×1200 device px
 */
export function previewSize(
  input: Size,
  screen: PreviewScreen | null,
  maxSide = PREVIEW_MAX_SIDE,
): PreviewSize {
  const longest = Math.max(input.width, input.height);
  let scale = Math.min(1, maxSide / longest);
  if (screen && screen.width > 0 && screen.height > 0) {
    const fit = Math.min(screen.width / input.width, screen.height / input.height);
    scale = Math.min(scale, (screen.zoom ?? fit) * screen.dpr);
  }
  const size = {
    width: Math.max(1, Math.round(input.width * scale)),
    height: Math.max(1, Math.round(input.height * scale)),
  };
  if (size.width === input.width && size.height === input.height)
    return { size: { width: input.width, height: input.height }, scale: 1 };
  return { size, scale: size.width / input.width };
}
