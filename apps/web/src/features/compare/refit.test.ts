import { describe, expect, it } from 'vitest';
import { isFitted, viewAfterLayout } from './refit';
import { fitView, zoomBy } from './viewport';

const display = { width: 400, height: 300 };
const full = { width: 1000, height: 700 };
const half = { width: 499.5, height: 700 };

describe('viewAfterLayout', () => {
  it('fits the first layout, and again for a new picture (no view)', () => {
    expect(viewAfterLayout(null, null, { display, pane: full }, 1)).toEqual(
      fitView(display, full, 1),
    );
    const old = fitView(display, half, 1);
    expect(viewAfterLayout(old, null, { display, pane: full }, 2)).toEqual(
      fitView(display, full, 2),
    );
  });

  it('refits a fitted view when the pane changes: side by side and back, a resize, a rotation', () => {
    const sideBySide = fitView(display, half, 1);
    const split = viewAfterLayout(sideBySide, { display, pane: half }, { display, pane: full }, 1);
    expect(split).toEqual(fitView(display, full, 1));
    expect(split.zoom).toBeGreaterThan(sideBySide.zoom);
    const portrait = { width: 390, height: 844 };
    expect(viewAfterLayout(split, { display, pane: full }, { display, pane: portrait }, 3)).toEqual(
      fitView(display, portrait, 3),
    );
    // The Fit command measures whole pixels: still counts as fitted for a fractional pane.
    expect(
      isFitted(fitView(display, { width: 499, height: 700 }, 1), { display, pane: half }, 1),
    ).toBe(true);
  });

  it('keeps a zoom the user chose, with the picture point at the pane centre staying there', () => {
    const zoomed = zoomBy(fitView(display, full, 1), 3, { x: 300, y: 200 }, 1);
    expect(isFitted(zoomed, { display, pane: full }, 1)).toBe(false);
    const after = viewAfterLayout(zoomed, { display, pane: full }, { display, pane: half }, 1);
    expect(after.zoom).toBe(zoomed.zoom);
    const centreBefore = { x: (500 - zoomed.x) / zoomed.zoom, y: (350 - zoomed.y) / zoomed.zoom };
    const centreAfter = {
      x: (half.width / 2 - after.x) / after.zoom,
      y: (half.height / 2 - after.y) / after.zoom,
    };
    expect(Math.abs(centreAfter.x - centreBefore.x) * after.zoom).toBeLessThanOrEqual(0.5);
    expect(Math.abs(centreAfter.y - centreBefore.y) * after.zoom).toBeLessThanOrEqual(0.5);
  });

  it('divides the zoom when the picture grows, and leaves an unchanged layout alone', () => {
    const view = fitView(display, full, 1);
    const doubled = { width: 800, height: 600 };
    expect(
      viewAfterLayout(view, { display, pane: full }, { display: doubled, pane: full }, 1),
    ).toEqual({ ...view, zoom: view.zoom / 2 });
    expect(viewAfterLayout(view, { display, pane: full }, { display, pane: { ...full } }, 1)).toBe(
      view,
    );
  });
});
