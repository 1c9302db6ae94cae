import type { Size } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { levelFor, planDraws, type DrawPlan, type LayerView } from './draw-plan';
import { tileGrid, tileRect, type TileGrid } from './tile-grid';

const all = () => true;

/**
 * What a canvas shows at device pixel (px, py) after the plan's draws: the level-0 image pixel
 * sampled there (nearest-neighbour, as drawImage maps a pixel centre), or null when no draw
 * covers it. Throws if two draws cover the same pixel.
 */
function sampleAt(grid: TileGrid, plan: DrawPlan, px: number, py: number): [number, number] | null {
  const cx = px + 0.5;
  const cy = py + 0.5;
  const hits = plan.draws.filter(
    (d) => cx >= d.dx && cx < d.dx + d.dw && cy >= d.dy && cy < d.dy + d.dh,
  );
  if (hits.length > 1) throw new Error(`pixel ${px},${py} drawn ${hits.length} times`);
  const d = hits[0];
  if (!d) return null;
  const r = tileRect(grid, d.tile);
  return [
    r.x + d.sx + Math.floor(((cx - d.dx) * d.sw) / d.dw),
    r.y + d.sy + Math.floor(((cy - d.dy) * d.sh) / d.dh),
  ];
}

/** Every device pixel of the canvas shows `expected(px, py)` (null: nothing drawn there). */
function expectEveryPixel(
  grid: TileGrid,
  plan: DrawPlan,
  canvas: Size,
  expected: (px: number, py: number) => [number, number] | null,
) {
  let wrong = 0;
  let first = '';
  for (let py = 0; py < canvas.height; py++)
    for (let px = 0; px < canvas.width; px++) {
      const got = sampleAt(grid, plan, px, py);
      const want = expected(px, py);
      if (String(got) !== String(want)) {
        wrong++;
        first ||= `at ${px},${py}: ${String(got)} instead of ${String(want)}`;
      }
    }
  expect(wrong, first).toBe(0);
}

/** The image pixel under device pixel p for a picture at `origin` scaled by `scale`, or null off it. */
const under = (p: number, origin: number, scale: number, length: number) => {
  const i = Math.floor((p + 0.5 - origin) / scale);
  return i >= 0 && i < length ? i : null;
};

function layer(display: Size, view: LayerView['view'], dpr: number, canvas: Size): LayerView {
  return { display, view, dpr, canvas };
}

describe('levelFor', () => {
  it('draws from the coarsest level that is still at least as sharp as the screen', () => {
    expect(levelFor(4, 4)).toBe(0);
    expect(levelFor(1, 4)).toBe(0);
    expect(levelFor(0.75, 4)).toBe(0);
    expect(levelFor(0.5, 4)).toBe(1);
    expect(levelFor(0.3, 4)).toBe(1);
    expect(levelFor(0.25, 4)).toBe(2);
    expect(levelFor(1 / 12, 4)).toBe(3);
    expect(levelFor(1 / 64, 4)).toBe(3);
    expect(levelFor(0.1, 1)).toBe(0);
  });

  it('keeps 1:1 at full resolution despite float noise in zoom × dpr', () => {
    expect((1 / 1.9) * 1.9).toBeLessThan(1);
    expect(levelFor((1 / 1.9) * 1.9, 4)).toBe(0);
    const image = { width: 500, height: 400 };
    const canvas = { width: 300, height: 200 };
    const oneToOne = layer(image, { zoom: 1 / 1.9, x: 0, y: 0 }, 1.9, canvas);
    expect(planDraws(tileGrid(image), oneToOne, all).draws.map((d) => d.smooth)).toEqual([false]);
  });
});

describe('planDraws', () => {
  it('at 1:1 puts every image pixel on exactly one device pixel, across tile joins', () => {
    const image = { width: 2100, height: 1500 };
    const grid = tileGrid(image);
    const canvas = { width: 901, height: 650 };
    // The view puts image pixel (600, 700) at the canvas origin: four tiles meet on screen.
    const plan = planDraws(grid, layer(image, { zoom: 1, x: -600, y: -700 }, 1, canvas), all);
    expect(plan.level).toBe(0);
    expect(plan.visible).toEqual([0, 1, 3, 4]);
    expect(plan.complete).toBe(true);
    expect(plan.draws.every((d) => !d.smooth && d.dw === d.sw && d.dh === d.sh)).toBe(true);
    expectEveryPixel(grid, plan, canvas, (px, py) => [600 + px, 700 + py]);
  });

  it('at 1:1 on a 2× screen (zoom ½) maps device pixels, not CSS pixels, to image pixels', () => {
    const image = { width: 1500, height: 1100 };
    const grid = tileGrid(image);
    const canvas = { width: 700, height: 500 };
    // Snapped views move in half CSS pixels at dpr 2: the picture starts at device pixel 21.
    const plan = planDraws(grid, layer(image, { zoom: 0.5, x: 10.5, y: -501 }, 2, canvas), all);
    expectEveryPixel(grid, plan, canvas, (px, py) => {
      const x = under(px, 21, 1, 1500);
      const y = under(py, -1002, 1, 1100);
      return x === null || y === null ? null : [x, y];
    });
  });

  it('stretches an original under its 4× upscale to whole 4 × 4 blocks at 1:1', () => {
    const original = { width: 100, height: 80 };
    const display = { width: 400, height: 320 };
    const grid = tileGrid(original);
    const canvas = { width: 450, height: 360 };
    const plan = planDraws(grid, layer(display, { zoom: 1, x: 13, y: 7 }, 1, canvas), all);
    expect(plan.draws).toEqual([
      {
        tile: 0,
        level: 0,
        smooth: false,
        ...{ sx: 0, sy: 0, sw: 100, sh: 80 },
        ...{ dx: 13, dy: 7, dw: 400, dh: 320 },
      },
    ]);
    expectEveryPixel(grid, plan, canvas, (px, py) => {
      const x = under(px, 13, 4, 100);
      const y = under(py, 7, 4, 80);
      return x === null || y === null ? null : [x, y];
    });
  });

  it('magnified by a non-integer zoom, tiles still agree with one nearest-neighbour mapping', () => {
    const image = { width: 2500, height: 2200 };
    const grid = tileGrid(image);
    const canvas = { width: 640, height: 480 };
    // Irrational, so no block edge falls exactly on a pixel centre (a tie either way is right).
    const zoom = Math.SQRT2;
    const view = { zoom, x: Math.round(-1000 * zoom), y: Math.round(-1000 * zoom) - 1 };
    const plan = planDraws(grid, layer(image, view, 1, canvas), all);
    expect(plan.visible).toEqual([0, 1, 3, 4]);
    expect(plan.draws.every((d) => !d.smooth)).toBe(true);
    expectEveryPixel(grid, plan, canvas, (px, py) => [
      under(px, view.x, zoom, 2500)!,
      under(py, view.y, zoom, 2200)!,
    ]);
  });

  it('draws a fitted 12000² result from the 1500² level, smoothed, edge to edge', () => {
    const image = { width: 12000, height: 12000 };
    const grid = tileGrid(image);
    const canvas = { width: 1100, height: 1100 };
    const view = { zoom: 1 / 12, x: 50, y: 50 };
    const plan = planDraws(grid, layer(image, view, 1, canvas), all);
    expect(plan.level).toBe(3);
    expect(plan.draws).toHaveLength(144);
    expect(plan.draws.every((d) => d.level === 3 && d.smooth)).toBe(true);
    // A full 1024² tile is 128² at level 3, drawn over 1024 / 12 device pixels.
    expect(plan.draws[0]).toMatchObject({ sx: 0, sy: 0, sw: 128, sh: 128, dx: 50, dy: 50 });
    // Snapped to whole device pixels, each row of tiles meets its neighbour exactly.
    for (const d of plan.draws) {
      expect([d.dx, d.dy, d.dw, d.dh].every(Number.isInteger)).toBe(true);
      const right = plan.draws.find((e) => e.tile === d.tile + 1 && e.dy === d.dy);
      if (d.tile % grid.columns < grid.columns - 1) expect(right?.dx).toBe(d.dx + d.dw);
    }
    const last = plan.draws[143]!;
    expect([last.dx + last.dw, last.dy + last.dh]).toEqual([1050, 1050]);
  });

  it('draws only the tiles on the canvas, each clipped to what reaches it', () => {
    const image = { width: 12000, height: 12000 };
    const grid = tileGrid(image);
    const canvas = { width: 1000, height: 800 };
    const plan = planDraws(grid, layer(image, { zoom: 1, x: -5000, y: -3000 }, 1, canvas), all);
    // Image pixels 5000–5999 × 3000–3799: columns 4 and 5, rows 2 and 3.
    expect(plan.visible).toEqual([28, 29, 40, 41]);
    const areas = plan.draws.map((d) => d.sw * d.sh);
    expect(areas.reduce((a, b) => a + b)).toBe(1000 * 800);
  });

  it('shows a tile from another level until its own is made, and says so', () => {
    const image = { width: 4000, height: 4000 };
    const grid = tileGrid(image);
    const canvas = { width: 800, height: 600 };
    const view = layer(image, { zoom: 1, x: -100, y: -100 }, 1, canvas);
    const coarseOnly = planDraws(grid, view, (_, level) => level === 1);
    expect(coarseOnly.level).toBe(0);
    expect(coarseOnly.complete).toBe(false);
    expect(coarseOnly.visible).toEqual([0]);
    expect(coarseOnly.draws).toMatchObject([{ tile: 0, level: 1, smooth: true }]);
    // Level 1 halves the tile: 800 device pixels from x = 100 show level-1 texels 50–450.
    expect(coarseOnly.draws[0]).toMatchObject({ sx: 49, sw: 402, dx: -2, dw: 804 });

    const nothing = planDraws(grid, view, () => false);
    expect(nothing.draws).toEqual([]);
    expect(nothing.complete).toBe(false);

    expect(planDraws(grid, view, (_, level) => level === 0).complete).toBe(true);
  });

  it('draws nothing when the picture is panned off the canvas', () => {
    const image = { width: 300, height: 200 };
    const plan = planDraws(
      tileGrid(image),
      layer(image, { zoom: 1, x: 900, y: 0 }, 1, { width: 800, height: 600 }),
      all,
    );
    expect(plan).toEqual({ level: 0, visible: [], draws: [], complete: true });
  });
});
