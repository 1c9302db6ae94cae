/**
 * A decoded image as every runtime hands it to the engine: 8-bit RGBA, straight
 * (not premultiplied) alpha, rows top to bottom, EXIF orientation already applied.
 *
 * @example const img: RgbaImage = { width: 2, height: 1, data: new Uint8Array(8) };
 */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export function createRgbaImage(width: number, height: number): RgbaImage {
  return { width, height, data: new Uint8Array(width * height * 4) };
}

export function pixelCount(size: Size): number {
  return size.width * size.height;
}
