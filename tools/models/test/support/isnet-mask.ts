import sharp from 'sharp';
import {
  MODELS,
  cutout,
  imageToTensor,
  isnetModelId,
  matteFromTensor,
  resizePlane,
  resizeRgba,
  type IsnetVariant,
  type ModelRunner,
  type RgbaImage,
} from '@loupe/shared';

export async function decodeRgba(encoded: Uint8Array): Promise<RgbaImage> {
  const { data, info } = await sharp(encoded)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/**
 * Cutout alpha from the raw ISNet mask, built from the shared kernels the engine uses, as the
 * stand-in for its remove-background step until `executePipeline` is exported. Bilinear with
 * pixel-centre alignment both ways: with lanczos3 (sharp's default) the 300x450 hibiscus
 * scored IoU 0.971 against imgly, with this 0.992; ISNet is that sensitive to upsampling.
 */
export async function isnetAlpha(
  image: RgbaImage,
  variant: IsnetVariant,
  runner: ModelRunner,
): Promise<Uint8Array> {
  const spec = MODELS[isnetModelId(variant)];
  const size = spec.fixedInputSize!;
  const input = imageToTensor(
    resizeRgba(image, size, 'bilinear'),
    { x: 0, y: 0, ...size },
    spec.input,
  );
  const result = await runner.run(spec.id, { [spec.input.name]: input });
  const mask = result[spec.output.name];
  if (!mask) throw new Error(`${spec.id} returned no ${spec.output.name}`);
  const matte = resizePlane(
    matteFromTensor(mask, spec.output.normalization),
    size,
    image,
    'bilinear',
  );
  const { data } = cutout(image, matte);
  return Uint8Array.from({ length: data.length / 4 }, (_, i) => data[4 * i + 3]!);
}

/** Intersection over union of the two masks thresholded at alpha >= 128. */
export function maskIou(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`mask sizes differ: ${a.length} vs ${b.length}`);
  let intersection = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! >= 128;
    const y = b[i]! >= 128;
    if (x && y) intersection++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : intersection / union;
}
