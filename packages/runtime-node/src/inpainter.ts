import { createRequire } from 'node:module';
import { OpenCvInpainter } from '@loupe/shared';

/**
 * The engine's `Inpainter` in Node: OpenCV's WebAssembly build from @techstark/opencv-js, the
 * same file the browser worker loads, so erase gives the same pixels on both sides. Required on
 * first use (about 2 s to compile), resolved from the importing package (the server's bundle
 * keeps npm packages external).
 */
export function createInpainter(): OpenCvInpainter {
  const require = createRequire(import.meta.url);
  return new OpenCvInpainter(() => ({ opencv: require('@techstark/opencv-js') as unknown }));
}
