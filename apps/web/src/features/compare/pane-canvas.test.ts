import { describe, expect, it } from 'vitest';
import { paneCanvas } from './pane-canvas';

describe('paneCanvas', () => {
  it('covers a pane on whole device pixels with one canvas pixel per screen pixel', () => {
    const c = paneCanvas({ left: 320, top: 48, width: 800, height: 600 }, 2);
    expect(c).toEqual({
      shiftX: 0,
      shiftY: 0,
      pixels: { width: 1600, height: 1200 },
      css: { width: 800, height: 600 },
    });
  });

  it('starts at the whole device pixel before a pane at a fractional offset', () => {
    // The right column of an odd-width grid starts half a pixel in.
    const c = paneCanvas({ left: 640.5, top: 48, width: 639.5, height: 600 }, 1);
    expect([c.shiftX, c.shiftY]).toEqual([0.5, 0]);
    expect(c.pixels).toEqual({ width: 640, height: 600 });
    expect(c.css).toEqual({ width: 640, height: 600 });
  });

  it('counts the fraction in device pixels at a fractional ratio', () => {
    // 101 CSS px × 1.5 = 151.5 device px: the canvas starts at device pixel 151.
    const c = paneCanvas({ left: 101, top: 10, width: 200, height: 100 }, 1.5);
    expect(c.shiftX).toBeCloseTo(0.5 / 1.5, 12);
    expect(c.shiftY).toBe(0);
    expect(c.pixels).toEqual({ width: 301, height: 150 });
    expect(c.css.width * 1.5).toBeCloseTo(301, 12);
  });
});
