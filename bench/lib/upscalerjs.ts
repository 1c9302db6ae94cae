// The peer: UpscalerJS's browser build on @tensorflow/tfjs-backend-wasm, in Node, with the
// esrgan packages' own model definitions and weights read from local files.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import Upscaler from 'upscaler';
import type { EsrganScale, EsrganSize } from '@loupe/shared';
import { BENCH_DIR } from './machine';
import type { RawImage } from './images';

/** UpscalerJS's ModelDefinition, as far as this file touches it (the packages each ship their own copy of the type). */
type ModelDefinition = object;

const definitions: Record<EsrganSize, () => Promise<Record<2 | 4, ModelDefinition>>> = {
  slim: async () => ({
    2: (await import('@upscalerjs/esrgan-slim/2x')).default,
    4: (await import('@upscalerjs/esrgan-slim/4x')).default,
  }),
  medium: async () => ({
    2: (await import('@upscalerjs/esrgan-medium/2x')).default,
    4: (await import('@upscalerjs/esrgan-medium/4x')).default,
  }),
  thick: async () => ({
    2: (await import('@upscalerjs/esrgan-thick/2x')).default,
    4: (await import('@upscalerjs/esrgan-thick/4x')).default,
  }),
};

let backendReady: Promise<void> | undefined;

/** Selects tfjs's wasm backend with its .wasm files from node_modules (nothing fetched). */
export function useWasmBackend(): Promise<void> {
  backendReady ??= (async () => {
    const dist = path.join(BENCH_DIR, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    setWasmPaths(dist + '/');
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  })();
  return backendReady;
}

/** A tfjs IOHandler that reads a layers model.json and its weight shards from disk. */
export function localModel(modelJson: string): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(await readFile(modelJson, 'utf8')) as {
        modelTopology: object;
        format?: string;
        generatedBy?: string;
        convertedBy?: string;
        weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      };
      const shards = await Promise.all(
        json.weightsManifest
          .flatMap((g) => g.paths)
          .map((p) => readFile(path.join(path.dirname(modelJson), p))),
      );
      const all = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
      };
    },
  };
}

export interface PeerUpscaler {
  upscale(img: RawImage): Promise<Uint8Array>;
  dispose(): Promise<void>;
}

/** An UpscalerJS instance on the given esrgan weights; whole-image (no patchSize), like its default. */
export async function createPeerUpscaler(
  size: EsrganSize,
  scale: Extract<EsrganScale, 2 | 4>,
): Promise<PeerUpscaler> {
  await useWasmBackend();
  const definition = (await definitions[size]())[scale];
  const modelJson = path.join(
    BENCH_DIR,
    'node_modules',
    `@upscalerjs/esrgan-${size}`,
    `models/x${scale}/model.json`,
  );
  const upscaler = new Upscaler({ model: { ...definition, path: localModel(modelJson) } as never });
  await upscaler.ready;
  return {
    async upscale(img) {
      const input = tf.tensor3d(Float32Array.from(img.data), [img.height, img.width, 3], 'float32');
      const out = (await upscaler.upscale(input, { output: 'tensor' })) as unknown as tf.Tensor3D;
      input.dispose();
      const values = await out.data();
      out.dispose();
      const bytes = new Uint8Array(values.length);
      for (let i = 0; i < values.length; i++)
        bytes[i] = Math.max(0, Math.min(255, Math.round(values[i]!)));
      return bytes;
    },
    dispose: () => upscaler.dispose(),
  };
}

export const tfjsInfo = (): string => `tfjs ${tf.version.tfjs} backend=${tf.getBackend()}`;
