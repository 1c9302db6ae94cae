// Loupe's edits on a bare onnxruntime-node session, for when the shared engine is not available:
// the same steps the engine takes (normalise with the model spec, run, denormalise), written out.
import sharp from 'sharp';
import { MODELS, type ModelId } from '@loupe/shared';
import { runFloat, type Session } from './ort';
import type { RawImage } from './images';

/** RGB uint8 (HWC) → NCHW float with the model's input normalisation. */
export function toTensor(img: RawImage, id: ModelId): Float32Array {
  const { mean, std } = MODELS[id].input.normalization;
  const plane = img.width * img.height;
  const out = new Float32Array(3 * plane);
  const c = img.channels;
  for (let i = 0; i < plane; i++) {
    out[i] = (img.data[i * c]! - mean) / std;
    out[i + plane] = (img.data[i * c + 1]! - mean) / std;
    out[i + 2 * plane] = (img.data[i * c + 2]! - mean) / std;
  }
  return out;
}

/** NCHW float (3 channels) → RGB uint8 HWC, rounded and clamped, with the model's output normalisation. */
export function fromTensor(
  data: Float32Array,
  width: number,
  height: number,
  id: ModelId,
): Uint8Array {
  const { mean, std } = MODELS[id].output.normalization;
  const plane = width * height;
  const out = new Uint8Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let ch = 0; ch < 3; ch++) {
      const v = Math.round(data[i + ch * plane]! * std + mean);
      out[i * 3 + ch] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}

/** Whole-image upscale on one session (no tiling). */
export async function upscaleRaw(
  session: Session,
  img: RawImage,
  id: ModelId,
): Promise<Uint8Array> {
  const input = { data: toTensor(img, id), dims: [1, 3, img.height, img.width] };
  const out = await runFloat(session, { input });
  const [, , h, w] = out.output!.dims as number[];
  return fromTensor(out.output!.data, w!, h!, id);
}

/**
 * Background removal end to end on a bare session: decode, resize to the model's 1024² input
 * (sharp's default Lanczos), ISNet, mask back to full size (sharp), alpha join, PNG encode.
 */
export async function removeBackgroundRaw(
  session: Session,
  encoded: Buffer,
  id: ModelId,
): Promise<Uint8Array> {
  const fixed = MODELS[id].fixedInputSize!;
  const { data: rgb, info } = await sharp(encoded)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: 3 as const } };
  const small = await sharp(rgb, raw)
    .resize(fixed.width, fixed.height, { fit: 'fill' })
    .raw()
    .toBuffer();
  const input = {
    data: toTensor({ data: small, ...fixed, channels: 3 }, id),
    dims: [1, 3, fixed.height, fixed.width],
  };
  const mask = (await runFloat(session, { input }))[MODELS[id].output.name]!.data;
  const { mean, std } = MODELS[id].output.normalization;
  const alpha = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++)
    alpha[i] = Math.max(0, Math.min(255, Math.round(mask[i]! * std + mean)));
  const fullAlpha = await sharp(alpha, { raw: { ...fixed, channels: 1 } })
    .resize(info.width, info.height, { fit: 'fill' })
    // sharp writes a 1-channel raw input back as 3 channels unless told otherwise.
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  const rgba = await sharp(rgb, raw)
    .joinChannel(fullAlpha, { raw: { width: info.width, height: info.height, channels: 1 } })
    .png()
    .toBuffer();
  return new Uint8Array(rgba);
}
