// The MAXIM graphs' tensors for the bench's RGB pictures: uint8 HWC ↔ NCHW float 0..1.
import type { RawImage } from './images';

/** RGB uint8 HWC → NCHW float 0..1, the converted graphs' input. */
export function toPlanes(img: RawImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) out[c * n + i] = img.data[3 * i + c]! / 255;
  return out;
}

/** NCHW 0..1 → RGB uint8 HWC, rounded and clamped as UpscalerJS's output is. */
export function toBytes(planes: Float32Array, n: number): Uint8Array {
  const out = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++)
      out[3 * i + c] = Math.max(0, Math.min(255, Math.round(planes[c * n + i]! * 255)));
  return out;
}
