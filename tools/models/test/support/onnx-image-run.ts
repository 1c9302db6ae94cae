import { createSession, releaseSession, runSession } from '@loupe/runtime-node';

export interface ImageTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/**
 * Runs an image model (`input` -> `output`, NCHW float32) once on onnxruntime-node's CPU EP.
 * The session is released afterwards: the upscalers are large and the tests run many.
 */
export async function runImageModel(
  model: string | Uint8Array,
  input: ImageTensor,
): Promise<ImageTensor> {
  const session = await createSession(model, { ep: 'cpu' });
  try {
    const { output } = await runSession(session, { input });
    if (!output) throw new Error('model returned no `output`');
    return output;
  } finally {
    await releaseSession(session);
  }
}
