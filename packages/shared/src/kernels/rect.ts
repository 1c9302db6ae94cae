/**
 * An axis-aligned block of pixels: `x, y` is the top-left corner, in pixels of the image
 * (or tensor) it refers to.
 *
 * @example const tile: Rect = { x: 116, y: 0, width: 128, height: 128 };
 */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Maps a rect of a model's input to the rect it produces in the output (scale 2: x2 everything). */
export function scaleRect(rect: Rect, scale: number): Rect {
  return {
    x: rect.x * scale,
    y: rect.y * scale,
    width: rect.width * scale,
    height: rect.height * scale,
  };
}

/** The same rect seen from a frame whose origin is at (`originX`, `originY`). */
export function relativeRect(rect: Rect, originX: number, originY: number): Rect {
  return { x: rect.x - originX, y: rect.y - originY, width: rect.width, height: rect.height };
}

/** Throws unless `rect` lies inside a `width × height` frame; kernels index without checks after. */
export function assertRectInside(rect: Rect, width: number, height: number, what: string): void {
  const ok =
    Number.isInteger(rect.x) &&
    Number.isInteger(rect.y) &&
    Number.isInteger(rect.width) &&
    Number.isInteger(rect.height) &&
    rect.x >= 0 &&
    rect.y >= 0 &&
    rect.width >= 0 &&
    rect.height >= 0 &&
    rect.x + rect.width <= width &&
    rect.y + rect.height <= height;
  if (!ok) {
    throw new RangeError(
      `${what} ${rect.width}×${rect.height}+${rect.x}+${rect.y} is outside ${width}×${height}`,
    );
  }
}
