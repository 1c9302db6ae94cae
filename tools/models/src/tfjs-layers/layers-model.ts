import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One layer of a Keras functional model as TFJS serialises it in model.json. */
export interface LayerSpec {
  readonly class_name: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** One entry per call of the layer; each lists [layerName, nodeIndex, tensorIndex, kwargs]. */
  readonly inbound_nodes: readonly (readonly (readonly [string, number, number, unknown])[])[];
}

export interface WeightTensor {
  /** Keras layout: conv kernels are HWIO. */
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A TFJS layers model with its weights decoded: what the ONNX writer works from. */
export interface LayersModel {
  readonly layers: readonly LayerSpec[];
  readonly inputLayers: readonly string[];
  readonly outputLayers: readonly string[];
  readonly weights: ReadonlyMap<string, WeightTensor>;
  /** model.json and its shards, relative to `root`. */
  readonly files: readonly string[];
}

interface ModelJson {
  format: string;
  modelTopology: { model_config: { class_name: string; config: ModelConfig } };
  weightsManifest: {
    paths: string[];
    weights: { name: string; shape: number[]; dtype: string }[];
  }[];
}

interface ModelConfig {
  layers: LayerSpec[];
  input_layers: [string, number, number][];
  output_layers: [string, number, number][];
}

/**
 * Reads `<root>/<modelPath>` (format "layers-model") and its weight shards. Each manifest group
 * is the concatenation of its shards, weights packed in manifest order with no padding.
 *
 * @example
 *   const m = await readLayersModel(packageDir('@upscalerjs/esrgan-slim'), 'models/x4/model.json');
 */
export async function readLayersModel(root: string, modelPath: string): Promise<LayersModel> {
  const json = JSON.parse(await readFile(join(root, modelPath), 'utf8')) as ModelJson;
  if (json.format !== 'layers-model')
    throw new Error(`${modelPath}: not a layers model (${json.format})`);
  const config = json.modelTopology.model_config.config;
  const files = [modelPath];
  const weights = new Map<string, WeightTensor>();
  for (const group of json.weightsManifest) {
    const shardPaths = group.paths.map((p) => join(dirname(modelPath), p));
    files.push(...shardPaths);
    const bytes = Buffer.concat(await Promise.all(shardPaths.map((p) => readFile(join(root, p)))));
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new Error(`${w.name}: dtype ${w.dtype} is not supported`);
      const count = w.shape.reduce((a, b) => a * b, 1);
      // Copy: Buffer views may be unaligned for Float32Array.
      const data = new Float32Array(count);
      new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + 4 * count));
      weights.set(w.name, { shape: w.shape, data });
      offset += 4 * count;
    }
    if (offset !== bytes.length)
      throw new Error(`${modelPath}: ${bytes.length - offset} unread weight bytes`);
  }
  return {
    layers: config.layers,
    inputLayers: config.input_layers.map(([name]) => name),
    outputLayers: config.output_layers.map(([name]) => name),
    weights,
    files,
  };
}
