import { describe, expect, it } from 'vitest';
import { PREVIEW_MAX_SIDE, previewSize } from './preview-size';

const photo = { width: 6000, height: 4000 };

describe('preview size', () => {
  it('is what a fitted pane shows, in device pixels', () => {
    expect(previewSize(photo, { width: 900, height: 600, dpr: 2 })).toEqual({
      size: { width: 1800, height: 1200 },
      scale: 0.3,
    });
    // A tall pane fits the width: 600 CSS px wide at DPR 1.5.
    expect(previewSize(photo, { width: 600, height: 2000, dpr: 1.5 }).size).toEqual({
      width: 900,
      height: 600,
    });
  });

  it('follows the zoom once there is a view: zoomed out is fewer pixels, zoomed in more', () => {
    const pane = { width: 900, height: 600, dpr: 1 };
    expect(previewSize(photo, { ...pane, zoom: 0.05 }).size).toEqual({ width: 300, height: 200 });
    expect(previewSize(photo, { ...pane, zoom: 0.25 }).size).toEqual({ width: 1500, height: 1000 });
  });

  it('never exceeds the longest side a fitted result is drawn from', () => {
    const { size, scale } = previewSize(photo, { width: 900, height: 600, dpr: 1, zoom: 1 });
    expect(size).toEqual({ width: PREVIEW_MAX_SIDE, height: 1365 });
    expect(scale).toBeCloseTo(PREVIEW_MAX_SIDE / 6000, 12);
    // Before the viewer lays out, the cap alone.
    expect(previewSize(photo, null).size.width).toBe(PREVIEW_MAX_SIDE);
  });

  it('never enlarges: a picture smaller than the screen shows it is previewed at its own size', () => {
    const small = { width: 256, height: 160 };
    expect(previewSize(small, { width: 900, height: 600, dpr: 2 })).toEqual({
      size: { width: 256, height: 160 },
      scale: 1,
    });
    expect(previewSize(small, { width: 900, height: 600, dpr: 1, zoom: 0.5 })).toEqual({
      size: { width: 128, height: 80 },
      scale: 0.5,
    });
  });

  it('keeps at least one pixel a side, and ignores a pane not laid out yet', () => {
    expect(previewSize({ width: 4000, height: 2 }, { width: 10, height: 10, dpr: 1 }).size).toEqual(
      {
        width: 10,
        height: 1,
      },
    );
    expect(previewSize(photo, { width: 0, height: 0, dpr: 1 }).size.width).toBe(PREVIEW_MAX_SIDE);
  });
});
