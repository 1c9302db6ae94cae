import type { Size } from '@loupe/shared';
import type { View } from '../../stores/editor-store';
import { fitView } from './viewport';

/** What the view was laid out for: the picture's display size and its pane's size. */
export interface Layout {
  display: Size;
  pane: Size;
}

const sameSize = (a: Size, b: Size) => a.width === b.width && a.height === b.height;

/**
 * True while the view is the fit for `layout`, i.e. the user has not zoomed or panned since.
 * The slack (a pixel in picture size, half a pixel in position) absorbs device-pixel snapping
 * and the Fit command measuring the pane in whole pixels where ResizeObserver gives fractions.
 */
export function isFitted(view: View, layout: Layout, dpr: number): boolean {
  const fit = fitView(layout.display, layout.pane, dpr);
  const longest = Math.max(layout.display.width, layout.display.height);
  return (
    Math.abs(fit.zoom - view.zoom) * longest <= 1 &&
    Math.abs(fit.x - view.x) <= 1 &&
    Math.abs(fit.y - view.y) <= 1
  );
}

/**
 * The view after the picture or its pane changed size. First layout: fit. The picture grew
 * (an upscale doubled it): zoom divided by the same factor, so it stays where it was. The pane
 * changed (a resize, a rotation, side-by-side and back): a fitted view is fitted again to the
 * new pane; a zoom the user chose is kept, with the point at the pane's centre staying there.
 *
 * @example viewAfterLayout(fit, { display, pane: half }, { display, pane: full }, 1)
 *   // fitView(display, full, 1)
 */
export function viewAfterLayout(
  view: View | null,
  before: Layout | null,
  now: Layout,
  dpr: number,
): View {
  if (!view || !before) return fitView(now.display, now.pane, dpr);
  if (!sameSize(before.display, now.display)) {
    return { ...view, zoom: (view.zoom * before.display.width) / now.display.width };
  }
  if (sameSize(before.pane, now.pane)) return view;
  if (isFitted(view, before, dpr)) return fitView(now.display, now.pane, dpr);
  const dx = (now.pane.width - before.pane.width) / 2;
  const dy = (now.pane.height - before.pane.height) / 2;
  return {
    zoom: view.zoom,
    x: Math.round((view.x + dx) * dpr) / dpr,
    y: Math.round((view.y + dy) * dpr) / dpr,
  };
}
