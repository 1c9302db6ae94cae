import { GraphBuilder } from '../onnx/graph-builder';
import { IMAGE_DIMS, clampBytes, separableBlur, splitRgbAlpha } from './graph-parts';

/** filter-sharpen: unsharp mask on RGB, out = c + amount·(c − gaussian(c)); alpha passes through. */
export function buildSharpenGraph(): Uint8Array {
  const g = new GraphBuilder('filter-sharpen');
  const image = g.input('image', IMAGE_DIMS);
  const kernel = g.input('kernel', ['taps']);
  const amount = g.input('amount', [1]);
  const { rgb, alpha } = splitRgbAlpha(g, image);
  const detail = g.node('Sub', [rgb, separableBlur(g, rgb, kernel, 3)]);
  const sharpened = g.node('Add', [rgb, g.node('Mul', [detail, amount])]);
  g.output(clampBytes(g, g.node('Concat', [sharpened, alpha], { axis: 1 })), 'output', IMAGE_DIMS);
  return g.toBytes('Loupe filter-sharpen: unsharp mask on straight RGB.');
}
