import type {
  DiffusionPart,
  FloatDtype,
  OnnxExporter,
  TimestepShape,
  VaeEncoderOutput,
} from '@loupe/shared';
import type { TextEncoderConfig } from './text-encoder';
import type { TokenizerFormat } from './tokenizer-files';
import type { UnetConfig } from './unet';
import type { VaeConfig } from './vae';

/** Everything that decides a generated pipeline folder's bytes. */
export interface PipelineSpec {
  exporter: OnnxExporter;
  dtype: FloatDtype;
  unet: UnetConfig;
  vae: VaeConfig;
  text: TextEncoderConfig;
  inputIds: 'int32' | 'int64';
  /** `float` is the model's float type, as the exporters write it. */
  timestep: { dtype: 'int64' | 'float'; shape: TimestepShape };
  /** Null: no vae_encoder folder (a text-to-image-only export). */
  vaeEncoder: VaeEncoderOutput | null;
  tokenizer: TokenizerFormat;
  /** Parts whose weights go to an external-data file beside their model.onnx. */
  externalData: readonly DiffusionPart[];
  /** Where the folder states its license: a LICENSE file, README front matter, or nowhere. */
  license: 'license-file' | 'model-card' | 'none';
  /** The UNet's latent sample size written to unet/config.json (optimum only). */
  sampleSize: number;
  seed: number;
}
