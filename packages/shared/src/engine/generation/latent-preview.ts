import type { RgbaImage } from '../../image/rgba-image';
import { toByte } from '../../kernels/tensor';

/**
 * The linear map from SD 1.x/2.x's four latent channels to RGB that the SD tools use for cheap
 * step previews: rgb = Σ_c latent_c · F[c], then (rgb + 1)/2 in 0 … 1. The coefficients are the
 * ones AUTOMATIC1111's webui ("Approx cheap" live preview) and ComfyUI's SD15 latent format
 * publish, a least-squares fit of decoded RGB to latents of the SD VAE (first described by
 * Keturn, "Decoding latents to RGB without upscaling", Hugging Face forums, Nov 2022). No
 * published bias for SD 1.x: the fit is centred. For 4-channel latents only.
 */
export const LATENT_RGB_FACTORS: readonly (readonly [number, number, number])[] = [
  [0.3512, 0.2297, 0.3227],
  [0.325, 0.4974, 0.235],
  [-0.2829, 0.1762, 0.2721],
  [-0.212, -0.2616, -0.7177],
];
export const LATENT_RGB_BIAS: readonly [number, number, number] = [0, 0, 0];

/**
 * A preview of a [1, 4, h, w] latent (the step's predicted x₀, in the UNet's scaled units) at
 * latent size, one pixel per latent pixel (1/8 of the output's sides): the host scales it up
 * for display, so previews cost a few kB each however large the output.
 */
export function latentPreview(latent: Float32Array, width: number, height: number): RgbaImage {
  const plane = width * height;
  const data = new Uint8Array(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      let v = LATENT_RGB_BIAS[c]!;
      for (let k = 0; k < 4; k++) v += latent[k * plane + i]! * LATENT_RGB_FACTORS[k]![c]!;
      data[4 * i + c] = toByte(((v + 1) / 2) * 255);
    }
    data[4 * i + 3] = 255;
  }
  return { width, height, data };
}
