import type { Size } from '@loupe/shared';
import type { View } from '../../stores/editor-store';

/** Zoom limits: 1/64 fits a 50 MP image on a phone; 64× shows single pixels as blocks. */
export const MIN_ZOOM = 1 / 64;
export const MAX_ZOOM = 64;
export const ZOOM_STEP = 1.25;

const clampZoom = (z: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));

/** Snaps to device pixels so that at 1:1 every image pixel lands on exactly one screen pixel. */
export function snap(view: View, dpr: number): View {
  return { zoom: view.zoom, x: Math.round(view.x * dpr) / dpr, y: Math.round(view.y * dpr) / dpr };
}

/** Room kept free around a fitted picture: the floating toolbar sits in the bottom inset. */
const FIT_INSETS = { top: 48, right: 24, bottom: 72, left: 24 };

/**
 * The view that shows the whole image centred in the free area. Small images are enlarged
 * (up to 4×, beyond that pixels turn to blocks), large ones shrunk.
 *
 * @example fitView({ width: 100, height: 50 }, { width: 448, height: 420 }, 1) // zoom 4, centred
 */
export function fitView(image: Size, pane: Size, dpr: number): View {
  const w = Math.max(1, pane.width - FIT_INSETS.left - FIT_INSETS.right);
  const h = Math.max(1, pane.height - FIT_INSETS.top - FIT_INSETS.bottom);
  const zoom = clampZoom(Math.min(w / image.width, h / image.height, 4));
  return snap(
    {
      zoom,
      x: FIT_INSETS.left + (w - image.width * zoom) / 2,
      y: FIT_INSETS.top + (h - image.height * zoom) / 2,
    },
    dpr,
  );
}

/** Zooms to `zoom` keeping the image point under `at` (pane coordinates) where it is. */
export function zoomTo(view: View, zoom: number, at: { x: number; y: number }, dpr: number): View {
  const z = clampZoom(zoom);
  const k = z / view.zoom;
  return snap({ zoom: z, x: at.x - (at.x - view.x) * k, y: at.y - (at.y - view.y) * k }, dpr);
}

/** Zoom by a factor; wheel deltas map to factors with `wheelFactor`. */
export function zoomBy(
  view: View,
  factor: number,
  at: { x: number; y: number },
  dpr: number,
): View {
  return zoomTo(view, view.zoom * factor, at, dpr);
}

/** Trackpads send many small deltas, mice few large ones: exponential keeps both smooth. */
export function wheelFactor(deltaY: number): number {
  return Math.exp(-deltaY * 0.0015);
}

export function panBy(view: View, dx: number, dy: number, dpr: number): View {
  return snap({ ...view, x: view.x + dx, y: view.y + dy }, dpr);
}

/** 1:1 means one image pixel per device pixel, so the CSS zoom is 1/devicePixelRatio. */
export function actualPixelsZoom(dpr: number): number {
  return 1 / dpr;
}
