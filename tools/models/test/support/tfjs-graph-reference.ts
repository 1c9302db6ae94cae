import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { packageDir } from '../../src/manifest/package-info';
import { registerWasmEinsum } from './tfjs-einsum-kernel';

const require = createRequire(import.meta.url);

/** An NHWC float32 image tensor, as the MAXIM graphs take and return it. */
export interface NhwcTensor {
  readonly data: Float32Array;
  readonly height: number;
  readonly width: number;
}

/** UpscalerJS's model definition, as far as the reference touches it. */
interface MaximDefinition {
  setup(tfjs: typeof tf): void;
  _internals: { path: string };
}

let backend: Promise<void> | undefined;

/**
 * tfjs's wasm backend with its .wasm files from node_modules (nothing fetched). Not the CPU
 * backend: it runs a 64² MAXIM graph in over 10 minutes, wasm in ~2 s.
 */
function useWasm(): Promise<void> {
  backend ??= (async () => {
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
    registerWasmEinsum();
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  })();
  return backend;
}

const models = new Map<string, Promise<tf.GraphModel>>();

/** Loads a package's graph with its own UpscalerJS setup (ScaleAndTranslate as nearest). */
function loadPackageGraph(pkg: string): Promise<tf.GraphModel> {
  let model = models.get(pkg);
  if (!model) {
    model = (async () => {
      await useWasm();
      const definition = require(pkg) as MaximDefinition;
      definition.setup(tf);
      const path = join(packageDir(pkg), definition._internals.path);
      const json = JSON.parse(await readFile(path, 'utf8')) as {
        modelTopology: object;
        format: string;
        weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      };
      const shards = await Promise.all(
        json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(dirname(path), p))),
      );
      const all = Buffer.concat(shards);
      return tf.loadGraphModel(
        tf.io.fromMemory({
          modelTopology: json.modelTopology,
          format: json.format,
          weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
          weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        }),
      );
    })();
    models.set(pkg, model);
  }
  return model;
}

/**
 * TensorFlow.js (4.11, wasm backend) running `pkg`'s own graph, as UpscalerJS runs it: values
 * 0..1 in and out, no padding (the caller passes a size divisible by 64).
 */
export async function runPackageGraph(pkg: string, image: NhwcTensor): Promise<NhwcTensor> {
  const model = await loadPackageGraph(pkg);
  const input = tf.tensor4d(image.data, [1, image.height, image.width, 3]);
  // No control flow in these graphs, so the synchronous executor runs them.
  const output = model.execute(input) as tf.Tensor;
  const data = (await output.data()) as Float32Array;
  tf.dispose([input, output]);
  return { data, height: output.shape[1]!, width: output.shape[2]! };
}
