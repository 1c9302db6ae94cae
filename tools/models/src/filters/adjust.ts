import { GraphBuilder } from '../onnx/graph-builder';
import { IMAGE_DIMS, clampBytes, splitRgbAlpha } from './graph-parts';

/** Rec. 709 luma weights, as in packages/shared/src/ops/params/adjust.ts. */
const LUMA = [0.2126, 0.7152, 0.0722];

/**
 * filter-adjust: the five steps documented on `adjustParamVector`. Exposure and white balance
 * are both per-channel gains, so they fold into one multiply with the 1/255 scaling.
 */
export function buildAdjustGraph(): Uint8Array {
  const g = new GraphBuilder('filter-adjust');
  const image = g.input('image', IMAGE_DIMS);
  const params = g.input('params', [6]);
  const param = (i: number) =>
    g.node('Slice', [params, g.int64([i]), g.int64([i + 1]), g.int64([0])]);
  const [exposure, contrast, saturation, temperature, tint, gamma] = [0, 1, 2, 3, 4, 5].map(
    param,
  ) as [string, string, string, string, string, string];
  const one = g.constant([1], []);
  const percentOf = (p: string, factor: number) =>
    g.node('Mul', [p, g.constant([factor / 100], [])]);

  const warm = percentOf(temperature, 0.2);
  const whiteBalance = g.node(
    'Concat',
    [
      g.node('Add', [one, warm]),
      g.node('Sub', [one, percentOf(tint, 0.2)]),
      g.node('Sub', [one, warm]),
    ],
    { axis: 0 },
  );
  const exposureGain = g.node('Pow', [g.constant([2], []), exposure]);
  const gain = g.node('Mul', [
    g.node('Mul', [whiteBalance, exposureGain]),
    g.constant([1 / 255], []),
  ]);

  const { rgb, alpha } = splitRgbAlpha(g, image);
  let c = g.node('Mul', [rgb, g.node('Reshape', [gain, g.int64([1, 3, 1, 1])])]);

  const half = g.constant([0.5], []);
  const contrastGain = g.node('Add', [one, percentOf(contrast, 1)]);
  c = g.node('Add', [g.node('Mul', [g.node('Sub', [c, half]), contrastGain]), half]);

  const luma = g.node('Conv', [c, g.constant(LUMA, [1, 3, 1, 1])]);
  const saturationGain = g.node('Add', [one, percentOf(saturation, 1)]);
  c = g.node('Add', [luma, g.node('Mul', [g.node('Sub', [c, luma]), saturationGain])]);

  c = g.node('Clip', [c, g.constant([0], []), one]);
  c = g.node('Pow', [c, g.node('Div', [one, gamma])]);
  const bytes = g.node('Mul', [c, g.constant([255], [])]);

  g.output(clampBytes(g, g.node('Concat', [bytes, alpha], { axis: 1 })), 'output', IMAGE_DIMS);
  return g.toBytes('Loupe filter-adjust: exposure, white balance, contrast, saturation, gamma.');
}
