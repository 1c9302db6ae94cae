import { GENERATION_SIZE, type Size } from '@loupe/shared';

/** A size to generate at, named by its aspect. */
export interface SizePreset {
  readonly label: string;
  readonly width: number;
  readonly height: number;
}

/** Aspects people pick for pictures, portrait after landscape. */
export const PRESET_ASPECTS = [
  { label: '1:1', w: 1, h: 1 },
  { label: '4:3', w: 4, h: 3 },
  { label: '3:4', w: 3, h: 4 },
  { label: '3:2', w: 3, h: 2 },
  { label: '2:3', w: 2, h: 3 },
  { label: '16:9', w: 16, h: 9 },
  { label: '9:16', w: 9, h: 16 },
] as const;

const { min, max, multiple } = GENERATION_SIZE;
const onGrid = (side: number) =>
  Math.min(max, Math.max(min, Math.round(side / multiple) * multiple));

/**
 * The size of about the model's native pixel count at aspect `w:h`, sides on the generation
 * grid (multiples of 8, 64–2048): a model makes its best pictures near the area it was
 * trained at, whatever their shape.
 *
 * @example sizeAtAspect({ width: 512, height: 512 }, 16, 9) // { width: 680, height: 384 }
 */
export function sizeAtAspect(native: Size, w: number, h: number): Size {
  const area = native.width * native.height;
  const width = Math.sqrt((area * w) / h);
  return { width: onGrid(width), height: onGrid(width * (h / w)) };
}

/**
 * The presets for a model: its native size first, then each aspect at its pixel count; two
 * aspects that land on the same size are offered once.
 *
 * @example sizePresets({ width: 512, height: 512 }).map((p) => p.label)
 *   // ['Native 512 × 512', '4:3', '3:4', '3:2', '2:3', '16:9', '9:16']
 */
export function sizePresets(native: Size): SizePreset[] {
  const out: SizePreset[] = [
    { label: `Native ${native.width} × ${native.height}`, ...onGridSize(native) },
  ];
  for (const a of PRESET_ASPECTS) {
    const size = sizeAtAspect(native, a.w, a.h);
    if (!out.some((p) => p.width === size.width && p.height === size.height))
      out.push({ label: a.label, ...size });
  }
  return out;
}

function onGridSize(size: Size): Size {
  return { width: onGrid(size.width), height: onGrid(size.height) };
}

/**
 * The size a picture of `image`'s shape runs best at on a model of `native` size: its aspect
 * at the model's pixel count. Image-to-image runs at the picture's own size; this says what
 * to resize it to first when the two are far apart.
 *
 * @example sizeForImage({ width: 4000, height: 3000 }, { width: 512, height: 512 }) // { width: 592, height: 440 }
 */
export function sizeForImage(image: Size, native: Size): Size {
  return sizeAtAspect(native, image.width, image.height);
}

/** Whether a picture is far enough from the model's area (beyond 2× either way) to say so. */
export function farFromNative(image: Size, native: Size): boolean {
  const ratio = (image.width * image.height) / (native.width * native.height);
  return ratio > 2 || ratio < 0.5;
}
