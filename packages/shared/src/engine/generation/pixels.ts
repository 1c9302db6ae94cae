import type { Mask } from '../../image/mask';
import type { RgbaImage, Size } from '../../image/rgba-image';
import { toByte } from '../../kernels/tensor';

/** The size a UNet runs an input picture at: each side rounded up to a multiple of `multiple`. */
export function paddedSize(size: Size, multiple: number): Size {
  const up = (n: number) => Math.ceil(n / multiple) * multiple;
  return { width: up(size.width), height: up(size.height) };
}

/**
 * The picture's RGB as the VAE reads it, [1, 3, H, W] in −1 … 1 (diffusers: 2·x/255 − 1),
 * extended to `to` by repeating the last row and column: a picture whose sides are not multiples
 * of 8 runs padded and is cropped back, so the output is the input's size exactly.
 */
export function vaeInput(image: RgbaImage, to: Size): Float32Array {
  const plane = to.width * to.height;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < to.height; y++) {
    const sy = Math.min(y, image.height - 1);
    for (let x = 0; x < to.width; x++) {
      const s = (sy * image.width + Math.min(x, image.width - 1)) * 4;
      const t = y * to.width + x;
      for (let c = 0; c < 3; c++) out[c * plane + t] = (2 * image.data[s + c]!) / 255 - 1;
    }
  }
  return out;
}

/** A plane of mask bytes extended to `to` the same way, as 0 … 1. */
export function maskPlane(mask: Mask, to: Size): Float32Array {
  const out = new Float32Array(to.width * to.height);
  for (let y = 0; y < to.height; y++) {
    const sy = Math.min(y, mask.height - 1);
    for (let x = 0; x < to.width; x++)
      out[y * to.width + x] = mask.data[sy * mask.width + Math.min(x, mask.width - 1)]! / 255;
  }
  return out;
}

/**
 * The VAE decoder's [1, 3, H, W] output (−1 … 1) as RGBA cropped to `crop`: (x + 1)/2·255,
 * clamped and rounded; alpha from `alpha` (the input's, for edits of a picture) or opaque.
 */
export function decodedImage(
  rgb: Float32Array,
  run: Size,
  crop: Size,
  alpha?: RgbaImage,
): RgbaImage {
  const plane = run.width * run.height;
  const data = new Uint8Array(crop.width * crop.height * 4);
  for (let y = 0; y < crop.height; y++)
    for (let x = 0; x < crop.width; x++) {
      const s = y * run.width + x;
      const d = (y * crop.width + x) * 4;
      for (let c = 0; c < 3; c++) data[d + c] = toByte(((rgb[c * plane + s]! + 1) / 2) * 255);
      data[d + 3] = alpha ? alpha.data[d + 3]! : 255;
    }
  return { width: crop.width, height: crop.height, data };
}

/**
 * A mask feathered by about `radius` pixels: three passes of a box blur of radius ⌈radius/3⌉ each
 * way (close to a Gaussian), in integers so every runtime makes the same bytes. Only pixels
 * within `radius` of the mask change: the rest stays 0.
 */
export function blurMask(mask: Mask, radius: number): Mask {
  if (radius === 0) return mask;
  const r = Math.ceil(radius / 3);
  let data = Uint8Array.from(mask.data);
  for (let pass = 0; pass < 3; pass++) {
    data = boxPass(data, mask.width, mask.height, r, true);
    data = boxPass(data, mask.width, mask.height, r, false);
  }
  return { width: mask.width, height: mask.height, data };
}

function boxPass(src: Uint8Array, width: number, height: number, r: number, rows: boolean) {
  const out = new Uint8Array(src.length);
  const [lines, length] = rows ? [height, width] : [width, height];
  const at = (line: number, i: number) => (rows ? line * width + i : i * width + line);
  const n = 2 * r + 1;
  for (let line = 0; line < lines; line++)
    for (let i = 0; i < length; i++) {
      let sum = 0;
      // Past the border the edge pixel repeats, so a mask reaching the border keeps its strength there.
      for (let k = -r; k <= r; k++) sum += src[at(line, Math.min(length - 1, Math.max(0, i + k)))]!;
      out[at(line, i)] = Math.floor((2 * sum + n) / (2 * n));
    }
  return out;
}

/** The mask at latent size: each latent pixel the mean of its `factor`×`factor` block (0 … 1). */
export function latentMaskMean(plane: Float32Array, run: Size, factor: number): Float32Array {
  const w = run.width / factor;
  const h = run.height / factor;
  const out = new Float32Array(w * h);
  for (let y = 0; y < run.height; y++)
    for (let x = 0; x < run.width; x++) {
      const at = Math.floor(y / factor) * w + Math.floor(x / factor);
      out[at] = out[at]! + plane[y * run.width + x]!;
    }
  return out.map((v) => v / (factor * factor));
}

/**
 * An inpainting UNet's mask channel: diffusers binarises the mask (≥ ½ repaints) and resizes it
 * to latent size by nearest neighbour, which reads pixel (factor·x, factor·y).
 */
export function latentMaskNearest(plane: Float32Array, run: Size, factor: number): Float32Array {
  const w = run.width / factor;
  const h = run.height / factor;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      out[y * w + x] = plane[y * factor * run.width + x * factor]! >= 0.5 ? 1 : 0;
  return out;
}

/**
 * The generated pixels where the mask repaints and the input's elsewhere: byte-exact wherever
 * the mask is 0, a rounded blend where it is between, as the SD tools composite an inpainting.
 */
export function compositeMasked(input: RgbaImage, generated: RgbaImage, mask: Mask): RgbaImage {
  const data = Uint8Array.from(input.data);
  for (let i = 0; i < mask.data.length; i++) {
    const m = mask.data[i]!;
    if (m === 0) continue;
    for (let c = 0; c < 3; c++) {
      const p = 4 * i + c;
      data[p] = Math.floor((input.data[p]! * (255 - m) + generated.data[p]! * m + 127) / 255);
    }
  }
  return { width: input.width, height: input.height, data };
}
