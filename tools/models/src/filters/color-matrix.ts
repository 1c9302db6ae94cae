import { GraphBuilder } from '../onnx/graph-builder';
import { IMAGE_DIMS, clampBytes, splitRgbAlpha } from './graph-parts';

/**
 * filter-color-matrix: out_k = M[k][0..2]·(r, g, b) + M[k][3] in byte units, as a 1x1 Conv whose
 * weights and bias are sliced from the `matrix` input (grayscale, sepia, invert share one graph).
 */
export function buildColorMatrixGraph(): Uint8Array {
  const g = new GraphBuilder('filter-color-matrix');
  const image = g.input('image', IMAGE_DIMS);
  const matrix = g.input('matrix', [3, 4]);
  const columns = (from: number, to: number) =>
    g.node('Slice', [matrix, g.int64([from]), g.int64([to]), g.int64([1])]);
  const weights = g.node('Reshape', [columns(0, 3), g.int64([3, 3, 1, 1])]);
  const bias = g.node('Reshape', [columns(3, 4), g.int64([3])]);
  const { rgb, alpha } = splitRgbAlpha(g, image);
  const mixed = g.node('Conv', [rgb, weights, bias]);
  g.output(clampBytes(g, g.node('Concat', [mixed, alpha], { axis: 1 })), 'output', IMAGE_DIMS);
  return g.toBytes('Loupe filter-color-matrix: 3x4 affine colour transform, alpha unchanged.');
}
