import { GraphBuilder } from '../onnx/graph-builder';
import { IMAGE_DIMS, clampBytes, separableBlur } from './graph-parts';

/**
 * filter-blur: separable Gaussian on all four channels. The engine premultiplies before and
 * unpremultiplies after, so blurring alpha with colour keeps transparent pixels from bleeding.
 */
export function buildBlurGraph(): Uint8Array {
  const g = new GraphBuilder('filter-blur');
  const image = g.input('image', IMAGE_DIMS);
  const kernel = g.input('kernel', ['taps']);
  g.output(clampBytes(g, separableBlur(g, image, kernel, 4)), 'output', IMAGE_DIMS);
  return g.toBytes(
    'Loupe filter-blur: separable Gaussian, edge-replicated borders, premultiplied RGBA.',
  );
}
