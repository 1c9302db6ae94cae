import { describe, expect, it } from 'vitest';
import { EditMetadataSchema } from '../../api/execution';
import type { Step } from '../../ops/pipeline';
import { executePipeline } from '../execute';
import { noiseImage } from '../testing/images';
import { MathRunner } from '../testing/math-runner';
import { editMetadata } from './edit-metadata';

const steps = (): Step[] => [
  { op: 'upscale', params: { model: 'slim', scale: 2 } },
  { op: 'invert', params: {} },
];

describe('editMetadata', () => {
  it('reports what the engine ran, with the stages a browser has not got at 0 and no fallback key', async () => {
    const request = steps();
    const out = await executePipeline(noiseImage(3, 2), request, { runner: new MathRunner() });
    const metadata = editMetadata({
      steps: request,
      placement: 'browser',
      ep: 'webgpu',
      device: 'google swiftshader',
      models: out.models,
      tiles: out.tiles,
      timings: { queueMs: 1, inferMs: 20, totalMs: 25 },
      input: { width: 3, height: 2 },
      output: { width: out.image.width, height: out.image.height },
    });
    expect(metadata).toEqual({
      steps: [
        { op: 'upscale', params: { model: 'slim', scale: 2 } },
        { op: 'invert', params: {} },
      ],
      models: ['esrgan-slim-x2', 'filter-color-matrix'],
      placement: 'browser',
      ep: 'webgpu',
      device: 'google swiftshader',
      timings: { queueMs: 1, decodeMs: 0, inferMs: 20, encodeMs: 0, totalMs: 25 },
      tiles: 2,
      input: { width: 3, height: 2 },
      output: { width: 6, height: 4 },
    });
    expect('fallback' in metadata).toBe(false);
    expect(EditMetadataSchema.parse(metadata)).toEqual(metadata);
  });

  it('carries the fallback and every server stage, and copies what it is given', () => {
    const request = steps();
    const input = { width: 3, height: 2, format: 'png' };
    const metadata = editMetadata({
      steps: request,
      placement: 'server',
      ep: 'cpu',
      fallback: { from: 'cuda', reason: 'CUDA out of memory' },
      device: 'CUDA device 1',
      models: ['esrgan-slim-x2'],
      tiles: 4,
      timings: { queueMs: 2, decodeMs: 3, inferMs: 40, encodeMs: 5, totalMs: 52 },
      input,
      output: { width: 6, height: 4, format: 'webp' },
    });
    expect(metadata.fallback).toEqual({ from: 'cuda', reason: 'CUDA out of memory' });
    expect(metadata.timings).toEqual({
      queueMs: 2,
      decodeMs: 3,
      inferMs: 40,
      encodeMs: 5,
      totalMs: 52,
    });
    expect(metadata.output).toEqual({ width: 6, height: 4, format: 'webp' });
    // A request edited after the run does not change what the result says ran.
    (request[0]!.params as { scale: number }).scale = 4;
    input.width = 99;
    expect(metadata.steps[0]!.params).toEqual({ model: 'slim', scale: 2 });
    expect(metadata.input.width).toBe(3);
    expect(EditMetadataSchema.parse(metadata)).toEqual(metadata);
  });
});
