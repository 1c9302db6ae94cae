import { z } from 'zod';
import { filterModelId } from '../../models/model-ids';
import { defineOp, type OpPreview } from '../op-spec';
import { param } from '../param-meta';

const amount = param(z.number().min(0).max(100).default(100), {
  title: 'Amount',
  'x-unit': '%',
  'x-step': 1,
  'x-control': 'slider',
});

export const GrayscaleParams = z.object({ amount });
export const SepiaParams = z.object({ amount });
export const InvertParams = z.object({});

type Matrix3 = readonly [readonly number[], readonly number[], readonly number[]];
const IDENTITY: Matrix3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
const LUMA: Matrix3 = [
  [0.2126, 0.7152, 0.0722],
  [0.2126, 0.7152, 0.0722],
  [0.2126, 0.7152, 0.0722],
];
const SEPIA: Matrix3 = [
  [0.393, 0.769, 0.189],
  [0.349, 0.686, 0.168],
  [0.272, 0.534, 0.131],
];

function blend(to: Matrix3, amountPercent: number): Float32Array {
  const t = amountPercent / 100;
  const out = new Float32Array(12);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[r * 4 + c] = IDENTITY[r]![c]! * (1 - t) + to[r]![c]! * t;
  }
  return out;
}

/**
 * The `matrix` input of the filter-color-matrix graph: float32 [3, 4], row k gives output
 * channel k as M[k][0..2]·(r, g, b) + M[k][3] in byte units; alpha passes through.
 */
export const colorMatrix = {
  grayscale: (p: { amount: number }) => blend(LUMA, p.amount),
  sepia: (p: { amount: number }) => blend(SEPIA, p.amount),
  invert: () => Float32Array.of(-1, 0, 0, 255, 0, -1, 0, 255, 0, 0, -1, 255),
} as const;

const colorOp = <S extends z.ZodObject>(
  id: string,
  title: string,
  description: string,
  params: S,
  preview?: OpPreview<z.output<S>>,
) =>
  defineOp({
    id,
    title,
    description,
    category: 'filter',
    inputs: { image: 'required' },
    progressUnit: 'tile',
    params,
    models: () => [filterModelId('color-matrix')],
    outputSize: (s) => s,
    cost: () => ({ flopsPerInputPixel: 24, bytesPerInputPixel: 32 }),
    ...(preview ? { preview } : {}),
  });

export const grayscaleOp = colorOp(
  'grayscale',
  'Grayscale',
  'Rec. 709 luminance.',
  GrayscaleParams,
  {},
);
export const sepiaOp = colorOp('sepia', 'Sepia', 'Warm brown vintage toning.', SepiaParams, {});
// No preview: invert has nothing to move.
export const invertOp = colorOp('invert', 'Invert', 'Photographic negative.', InvertParams);
