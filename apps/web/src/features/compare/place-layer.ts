import type { View } from '../../stores/editor-store';
import { paneCanvas, type PaneCanvas } from './pane-canvas';

/**
 * Places a layer's box where the picture is and its canvas over the whole pane, starting at the
 * pane's first whole device pixel (see `paneCanvas`), however the box moves. Every layer drawn
 * over the picture (the images, the mask) is placed by this one function, so they line up.
 */
export function placeLayer(
  box: HTMLElement,
  canvas: HTMLCanvasElement,
  pane: HTMLElement,
  view: View,
  dpr: number,
): PaneCanvas {
  const place = paneCanvas(pane.getBoundingClientRect(), dpr);
  box.style.left = `${view.x - place.shiftX}px`;
  box.style.top = `${view.y - place.shiftY}px`;
  canvas.style.left = `${-view.x}px`;
  canvas.style.top = `${-view.y}px`;
  canvas.style.width = `${place.css.width}px`;
  canvas.style.height = `${place.css.height}px`;
  if (canvas.width !== place.pixels.width) canvas.width = place.pixels.width;
  if (canvas.height !== place.pixels.height) canvas.height = place.pixels.height;
  return place;
}
