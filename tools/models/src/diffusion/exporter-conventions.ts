import type { OnnxExporter } from '@loupe/shared';

/**
 * How each exporter names and shapes what it writes (read from optimum's exporters and
 * diffusers' scripts/convert_stable_diffusion_checkpoint_to_onnx.py; none of their code).
 * What they share: `input_ids` → `last_hidden_state` + `pooler_output`; `sample`, `timestep`,
 * `encoder_hidden_states` → `out_sample`; `latent_sample` → `sample` for the decoder.
 */
export interface ExporterConvention {
  dims: { batch: string; sequence: string; height: string; width: string };
  /** The UNet's and VAE's channel dim: static (optimum) or symbolic (the script's `channels`). */
  symbolicChannels: string | null;
  /** The file external data goes to: optimum's `model.onnx_data`, the script's `weights.pb`. */
  externalDataFile: string;
  /** optimum keeps each part's diffusers/transformers config.json beside its graph. */
  partConfigs: boolean;
}

export const EXPORTER_CONVENTIONS: Record<OnnxExporter, ExporterConvention> = {
  optimum: {
    dims: { batch: 'batch_size', sequence: 'sequence_length', height: 'height', width: 'width' },
    symbolicChannels: null,
    externalDataFile: 'model.onnx_data',
    partConfigs: true,
  },
  'diffusers-script': {
    dims: { batch: 'batch', sequence: 'sequence', height: 'height', width: 'width' },
    symbolicChannels: 'channels',
    externalDataFile: 'weights.pb',
    partConfigs: false,
  },
};
