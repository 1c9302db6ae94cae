import {
  BlurParams,
  FILTER_GRAPHS,
  SharpenParams,
  filterModelId,
  gaussianHalfWidth,
  type FilterGraph,
} from '@loupe/shared';
import type { Converter } from '../build-context';
import { buildAdjustGraph } from './adjust';
import { buildBlurGraph } from './blur';
import { buildColorMatrixGraph } from './color-matrix';
import { buildSharpenGraph } from './sharpen';

export const FILTER_BUILDERS: Record<FilterGraph, () => Uint8Array> = {
  adjust: buildAdjustGraph,
  blur: buildBlurGraph,
  sharpen: buildSharpenGraph,
  'color-matrix': buildColorMatrixGraph,
};

const taps = (radius: number) => 2 * gaussianHalfWidth(radius) + 1;

/**
 * 2 x multiply-adds per pixel, counted from each graph's arithmetic nodes. Blur and sharpen
 * depend on the kernel fed at run time; the manifest records them at the ops' default radius.
 */
const FILTER_FLOPS: Record<FilterGraph, number> = {
  // gain 3, contrast 9, luma conv 6, saturation 9, clip 3, pow 3, x255 3.
  adjust: 36,
  // two depthwise passes over 4 channels.
  blur: 2 * 2 * 4 * taps(BlurParams.parse({}).radius),
  // two depthwise passes over 3 channels, then sub, mul, add per channel.
  sharpen: 2 * 2 * 3 * taps(SharpenParams.parse({}).radius) + 9,
  // 3x3 matrix plus bias.
  'color-matrix': 2 * 9 + 3,
};

/** The filter graphs are written here, not converted: their "source package" is this one. */
export const convertFilters: Converter = async () =>
  FILTER_GRAPHS.map((graph) => ({
    id: filterModelId(graph),
    onnx: FILTER_BUILDERS[graph](),
    sourcePackage: '@loupe/model-tools',
    sourceFiles: [`src/filters/${graph}.ts`, 'src/filters/graph-parts.ts'],
    flopsPerInputPixel: FILTER_FLOPS[graph],
  }));
