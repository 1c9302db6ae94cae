import type { Size } from '@loupe/shared';

/** Where a layer's canvas goes in its pane. */
export interface PaneCanvas {
  /** CSS px to move left and up by: the pane's offset past its first whole device pixel. */
  readonly shiftX: number;
  readonly shiftY: number;
  /** Backing store size, device pixels: the pane, plus the shifted-in part of a pixel. */
  readonly pixels: Size;
  /** The same in CSS px, so that one canvas pixel is one screen pixel. */
  readonly css: Size;
}

/**
 * Panes can start at a fractional device pixel (two columns of an odd width). The canvas starts
 * at the pane's first whole device pixel instead, so its pixels are the screen's and at 1:1 each
 * image pixel lands on exactly one of them; the view's offsets count from that pixel.
 *
 * @example paneCanvas({ left: 100.5, top: 0, width: 300, height: 200 }, 1)
 * // shiftX 0.5, pixels 301 × 200
 */
export function paneCanvas(
  pane: { left: number; top: number; width: number; height: number },
  dpr: number,
): PaneCanvas {
  const fx = fraction(pane.left * dpr);
  const fy = fraction(pane.top * dpr);
  const pixels = {
    width: Math.ceil(fx + pane.width * dpr),
    height: Math.ceil(fy + pane.height * dpr),
  };
  return {
    shiftX: fx / dpr,
    shiftY: fy / dpr,
    pixels,
    css: { width: pixels.width / dpr, height: pixels.height / dpr },
  };
}

const fraction = (v: number) => v - Math.floor(v);
