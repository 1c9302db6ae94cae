import { describe, expect, it } from 'vitest';
import { LoupeError } from '../api/loupe-error';
import { executePipeline } from '../engine/execute';
import { noiseImage } from '../engine/testing/images';
import type { ModelRunner } from '../engine/model-runner';
import { clearTransparent } from '../kernels/alpha';
import { cropRgba } from '../kernels/crop';
import { applyOrientation } from '../kernels/orientation';
import { resampleRgba } from '../kernels/resample';
import { OPS } from './catalog';
import { cropIssues, cropRect } from './params/crop';
import { resizedSize } from './params/resize';
import { parsePipeline, pipelineInputIssues, pipelineModels, pipelineSizes } from './pipeline';

const steps = (raw: unknown) => {
  const parsed = parsePipeline(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};

const noModels: ModelRunner = {
  run: (model) => Promise.reject(new Error(`geometry ran a model: ${model}`)),
};

describe('crop params', () => {
  it('default to the whole picture: 0 width or height reaches the edge', () => {
    const size = { width: 64, height: 48 };
    const defaults = OPS.crop.params.parse({});
    expect(cropRect(size, defaults)).toEqual({ x: 0, y: 0, width: 64, height: 48 });
    expect(cropRect(size, { x: 10, y: 8, width: 0, height: 20 })).toEqual({
      x: 10,
      y: 8,
      width: 54,
      height: 20,
    });
    expect(cropIssues(size, defaults)).toEqual([]);
  });

  it('name the field that leaves the picture, with the limit', () => {
    const size = { width: 64, height: 48 };
    expect(cropIssues(size, { x: 64, y: 0, width: 0, height: 0 })).toEqual([
      { param: 'x', message: 'must be below the image width 64' },
    ]);
    expect(cropIssues(size, { x: 60, y: 40, width: 5, height: 9 })).toEqual([
      { param: 'width', message: 'x + width is 65, past the image width 64' },
      { param: 'height', message: 'y + height is 49, past the image height 48' },
    ]);
  });
});

describe('resize params', () => {
  const base = { mode: 'size', scale: 1, width: 0, height: 0, kernel: 'bicubic' } as const;
  it('scale or size, the free side following the aspect ratio', () => {
    const size = { width: 400, height: 300 };
    expect(resizedSize(size, { ...base, mode: 'scale', scale: 0.25 })).toEqual({
      width: 100,
      height: 75,
    });
    expect(resizedSize(size, { ...base, width: 200 })).toEqual({ width: 200, height: 150 });
    expect(resizedSize(size, { ...base, height: 60 })).toEqual({ width: 80, height: 60 });
    expect(resizedSize(size, { ...base, width: 7, height: 9 })).toEqual({ width: 7, height: 9 });
    expect(resizedSize(size, base)).toEqual(size);
    expect(resizedSize({ width: 3, height: 1 }, { ...base, mode: 'scale', scale: 0.01 })).toEqual({
      width: 1,
      height: 1,
    });
  });
});

describe('geometry in a pipeline', () => {
  const pipeline = steps([
    { op: 'crop', params: { x: 3, y: 2, width: 20, height: 12 } },
    { op: 'rotate', params: { angle: 270 } },
    { op: 'resize', params: { mode: 'scale', scale: 2, kernel: 'bicubic' } },
  ]);

  it('needs no model and sizes every step before running', () => {
    expect(pipelineModels(pipeline)).toEqual([]);
    expect(pipelineSizes(pipeline, { width: 30, height: 20 })).toEqual([
      { width: 20, height: 12 },
      { width: 12, height: 20 },
      { width: 24, height: 40 },
    ]);
  });

  it('runs as the kernels composed, with no tile of progress', async () => {
    const input = noiseImage(30, 20, true);
    const result = await executePipeline(input, pipeline, { runner: noModels });
    const expected = resampleRgba(
      applyOrientation(cropRgba(input, { x: 3, y: 2, width: 20, height: 12 }), 8),
      { width: 24, height: 40 },
      'bicubic',
    );
    // Then the pipeline's one output rule: no colour under fully transparent pixels.
    clearTransparent(expected);
    expect(result.image.data).toEqual(expected.data);
    expect(result.tiles).toBe(0);
    expect(result.models).toEqual([]);
  });

  it('refuses a crop that fits the upload but not what the step before it left', async () => {
    const shrunk = steps([
      { op: 'resize', params: { scale: 0.5 } },
      { op: 'crop', params: { x: 0, y: 12, width: 0, height: 0 } },
    ]);
    expect(pipelineInputIssues(shrunk, { width: 30, height: 20 })).toEqual([
      { path: 'steps.1.params.y', message: 'must be below the image height 10' },
    ]);
    const error = await executePipeline(noiseImage(30, 20), shrunk, { runner: noModels }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LoupeError);
    expect((error as LoupeError).code).toBe('INVALID_PARAMS');
    expect((error as LoupeError).fields?.[0]?.path).toBe('steps.1.params.y');
  });
});
