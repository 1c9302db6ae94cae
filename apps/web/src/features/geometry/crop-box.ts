import { cropRect, type Rect, type Size } from '@loupe/shared';

/**
 * The crop rectangle the stage's handles edit, in whole pixels of the picture the crop applies
 * to. Framework-free: the overlay turns pointer and key events into these calls and writes the
 * result into the crop op's x/y/width/height params, so the panel's fields and the handles are
 * one state.
 */
export type CropBox = Rect;

/** Corners and edges by compass point; `move` is the box itself. */
export const CROP_HANDLES = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w', 'move'] as const;
export type CropHandle = (typeof CROP_HANDLES)[number];

/** Fixed aspect ratios (width ÷ height) offered next to the box; `free` has none. */
export const CROP_ASPECTS = { free: null, '1:1': 1, '4:3': 4 / 3, '16:9': 16 / 9 } as const;
export type CropAspect = keyof typeof CROP_ASPECTS;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * The box the crop params describe on a picture of `image` size, 0 sides reaching the edge
 * and everything clamped inside: params made for a bigger picture still give a usable box.
 *
 * @example boxFromParams({ x: 10, y: 0, width: 0, height: 0 }, { width: 100, height: 50 })
 *   // { x: 10, y: 0, width: 90, height: 50 }
 */
export function boxFromParams(
  params: { x: number; y: number; width: number; height: number },
  image: Size,
): CropBox {
  const r = cropRect(image, params);
  const x = clamp(Math.round(r.x), 0, image.width - 1);
  const y = clamp(Math.round(r.y), 0, image.height - 1);
  return {
    x,
    y,
    width: clamp(Math.round(r.width), 1, image.width - x),
    height: clamp(Math.round(r.height), 1, image.height - y),
  };
}

/** Resizes along one axis from a fixed `anchor` edge towards `edge`, within [0, limit]. */
function span(anchor: number, edge: number, limit: number): { lo: number; hi: number } {
  const e = clamp(edge, 0, limit);
  if (e >= anchor) return { lo: anchor, hi: Math.max(anchor + 1, e) };
  return { lo: Math.min(e, anchor - 1), hi: anchor };
}

function dragFree(start: CropBox, handle: CropHandle, dx: number, dy: number, image: Size) {
  let x0 = start.x;
  let y0 = start.y;
  let x1 = start.x + start.width;
  let y1 = start.y + start.height;
  if (handle.includes('w')) x0 = clamp(x0 + dx, 0, x1 - 1);
  if (handle.includes('e')) x1 = clamp(x1 + dx, x0 + 1, image.width);
  if (handle.includes('n')) y0 = clamp(y0 + dy, 0, y1 - 1);
  if (handle.includes('s')) y1 = clamp(y1 + dy, y0 + 1, image.height);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * A corner drag with a fixed aspect: the opposite corner stays, the pointer's larger move
 * wins (a keyboard nudge is all one axis), and the size stops where either side would leave the picture.
 */
function dragCorner(
  start: CropBox,
  handle: 'nw' | 'ne' | 'se' | 'sw',
  dx: number,
  dy: number,
  image: Size,
  aspect: number,
): CropBox {
  const east = handle.includes('e');
  const south = handle.includes('s');
  const ax = east ? start.x : start.x + start.width;
  const ay = south ? start.y : start.y + start.height;
  const wantW = Math.abs((east ? start.x + start.width + dx : start.x + dx) - ax);
  const wantH = Math.abs((south ? start.y + start.height + dy : start.y + dy) - ay);
  const roomW = east ? image.width - ax : ax;
  const roomH = south ? image.height - ay : ay;
  const width = clamp(
    Math.round(Math.abs(dx) >= Math.abs(dy) * aspect ? wantW : wantH * aspect),
    1,
    Math.floor(Math.min(roomW, roomH * aspect)),
  );
  const height = clamp(Math.round(width / aspect), 1, roomH);
  return {
    x: east ? ax : ax - width,
    y: south ? ay : ay - height,
    width,
    height,
  };
}

/** An edge drag with a fixed aspect: the other side follows, centred on the box's middle. */
function dragEdge(
  start: CropBox,
  handle: 'n' | 'e' | 's' | 'w',
  dx: number,
  dy: number,
  image: Size,
  aspect: number,
): CropBox {
  const horizontal = handle === 'e' || handle === 'w';
  if (horizontal) {
    const along = span(
      handle === 'e' ? start.x : start.x + start.width,
      handle === 'e' ? start.x + start.width + dx : start.x + dx,
      image.width,
    );
    const cy = start.y + start.height / 2;
    const roomH = 2 * Math.min(cy, image.height - cy);
    const width = clamp(along.hi - along.lo, 1, Math.floor(roomH * aspect));
    const height = clamp(Math.round(width / aspect), 1, image.height);
    const x = handle === 'e' ? along.lo : along.hi - width;
    return { x, y: clamp(Math.round(cy - height / 2), 0, image.height - height), width, height };
  }
  const along = span(
    handle === 's' ? start.y : start.y + start.height,
    handle === 's' ? start.y + start.height + dy : start.y + dy,
    image.height,
  );
  const cx = start.x + start.width / 2;
  const roomW = 2 * Math.min(cx, image.width - cx);
  const height = clamp(along.hi - along.lo, 1, Math.floor(roomW / aspect));
  const width = clamp(Math.round(height * aspect), 1, image.width);
  const y = handle === 's' ? along.lo : along.hi - height;
  return { x: clamp(Math.round(cx - width / 2), 0, image.width - width), y, width, height };
}

/**
 * The box after dragging `handle` by (dx, dy) picture pixels from where the drag began: always
 * inside the picture, at least 1×1, and with `aspect` (width ÷ height) kept when one is set.
 *
 * @example dragBox({ x: 0, y: 0, width: 40, height: 30 }, 'se', 10, 0, { width: 100, height: 100 }, null)
 *   // { x: 0, y: 0, width: 50, height: 30 }
 */
export function dragBox(
  start: CropBox,
  handle: CropHandle,
  dx: number,
  dy: number,
  image: Size,
  aspect: number | null,
): CropBox {
  const [ix, iy] = [Math.round(dx), Math.round(dy)];
  if (handle === 'move')
    return {
      ...start,
      x: clamp(start.x + ix, 0, image.width - start.width),
      y: clamp(start.y + iy, 0, image.height - start.height),
    };
  if (aspect === null) return dragFree(start, handle, ix, iy, image);
  if (handle.length === 2) return dragCorner(start, handle as 'nw', ix, iy, image, aspect);
  return dragEdge(start, handle as 'n', ix, iy, image, aspect);
}

/**
 * The largest box of `aspect` inside `box`, centred on it: what choosing a ratio does.
 *
 * @example fitAspect({ x: 0, y: 0, width: 160, height: 100 }, 1, …) // { x: 30, y: 0, width: 100, height: 100 }
 */
export function fitAspect(box: CropBox, aspect: number | null, image: Size): CropBox {
  if (aspect === null) return box;
  let { width, height } = box;
  if (width / height > aspect) width = Math.max(1, Math.round(height * aspect));
  else height = Math.max(1, Math.round(width / aspect));
  return {
    x: clamp(Math.round(box.x + (box.width - width) / 2), 0, image.width - width),
    y: clamp(Math.round(box.y + (box.height - height) / 2), 0, image.height - height),
    width,
    height,
  };
}

/** Arrow keys as a drag of the focused handle: 1 px, 10 with Shift. Null for other keys. */
export function keyNudge(key: string, shift: boolean): { dx: number; dy: number } | null {
  const step = shift ? 10 : 1;
  const moves: Record<string, { dx: number; dy: number }> = {
    ArrowLeft: { dx: -step, dy: 0 },
    ArrowRight: { dx: step, dy: 0 },
    ArrowUp: { dx: 0, dy: -step },
    ArrowDown: { dx: 0, dy: step },
  };
  return moves[key] ?? null;
}
