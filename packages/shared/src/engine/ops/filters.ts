import type { OpParams } from '../../ops/catalog';
import type { AdjustParams } from '../../ops/params/adjust';
import { adjustParamVector } from '../../ops/params/adjust';
import { gaussianKernel, type BlurParams } from '../../ops/params/blur';
import { colorMatrix } from '../../ops/params/color-filters';
import type { SharpenParams } from '../../ops/params/sharpen';
import { filterModelTiles, runFilterModel, type FilterRun } from '../filter-model';
import type { TensorData } from '../model-runner';
import type { OpEngine } from './op-engine';

const vector = (data: Float32Array, dims: readonly number[] = [data.length]): TensorData => ({
  data,
  dims,
});

/** An op that is one filter-graph call, described by `toRun`. */
function filterEngine<P>(toRun: (params: P) => FilterRun): OpEngine<P> {
  return {
    tiles: (p, size, tileSize) => filterModelTiles(toRun(p), size, tileSize),
    run: (image, p, ctx) => runFilterModel(image, toRun(p), ctx),
  };
}

/** Gaussian blur on premultiplied RGBA, so transparent pixels lend no colour. */
export function blurRun(sigma: number): FilterRun {
  const kernel = gaussianKernel(sigma);
  return {
    model: 'filter-blur',
    params: { kernel: vector(kernel) },
    halo: (kernel.length - 1) / 2,
    premultiplied: true,
  };
}

export const adjustEngine = filterEngine<AdjustParams>((p) => ({
  model: 'filter-adjust',
  params: { params: vector(adjustParamVector(p)) },
  halo: 0,
}));

export const blurEngine = filterEngine<BlurParams>((p) => blurRun(p.radius));

export const sharpenEngine = filterEngine<SharpenParams>((p) => {
  const kernel = gaussianKernel(p.radius);
  return {
    model: 'filter-sharpen',
    params: { kernel: vector(kernel), amount: vector(Float32Array.of(p.amount)) },
    halo: (kernel.length - 1) / 2,
  };
});

const colorMatrixRun = (matrix: Float32Array): FilterRun => ({
  model: 'filter-color-matrix',
  params: { matrix: vector(matrix, [3, 4]) },
  halo: 0,
});

export const grayscaleEngine = filterEngine<OpParams<'grayscale'>>((p) =>
  colorMatrixRun(colorMatrix.grayscale(p)),
);
export const sepiaEngine = filterEngine<OpParams<'sepia'>>((p) =>
  colorMatrixRun(colorMatrix.sepia(p)),
);
export const invertEngine = filterEngine<OpParams<'invert'>>(() =>
  colorMatrixRun(colorMatrix.invert()),
);
