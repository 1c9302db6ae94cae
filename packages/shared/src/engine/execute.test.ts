import { describe, expect, it } from 'vitest';
import type { Progress } from '../api/jobs';
import { LoupeError } from '../api/loupe-error';
import type { Step } from '../ops/pipeline';
import { executePipeline, planPipeline } from './execute';
import { image, noiseImage, pixel } from './testing/images';
import { MathRunner } from './testing/math-runner';

const enhance: Step = {
  op: 'enhance-illustration',
  params: { mode: 'upscale-2x', size: 's', style: 'an' },
};
const invert: Step = { op: 'invert', params: {} };

async function rejection(p: Promise<unknown>): Promise<LoupeError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(LoupeError);
  return e as LoupeError;
}

describe('executePipeline', () => {
  it('chains steps, each reading the previous output', async () => {
    const result = await executePipeline(
      image(
        [
          [10, 20, 30, 255],
          [200, 100, 0, 128],
        ],
        2,
      ),
      [{ op: 'upscale', params: { model: 'slim', scale: 2 } }, invert],
      { runner: new MathRunner() },
    );
    expect([result.image.width, result.image.height]).toEqual([4, 2]);
    expect(pixel(result.image, 0, 0)).toEqual([245, 235, 225, 255]);
    expect(pixel(result.image, 3, 1)).toEqual([55, 155, 255, 128]);
    expect(result.tiles).toBe(2);
    expect(result.models).toEqual(['esrgan-slim-x2', 'filter-color-matrix']);
  });

  it('reports progress in tiles across the pipeline: from 0, monotonic, ending at the total', async () => {
    const events: Progress[] = [];
    let clock = 1000;
    const result = await executePipeline(noiseImage(70, 45), [enhance, invert], {
      runner: new MathRunner(),
      tileSize: (spec) => (spec.family === 'anime4k' ? 32 : undefined),
      onProgress: (p) => events.push(p),
      now: () => (clock += 10),
    });
    expect(result.tiles).toBe(9);
    expect(events.map((e) => e.done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(events.every((e) => e.total === 9 && e.unit === 'tile')).toBe(true);
    expect(events[0]!.stage).toBe('enhance-illustration 0/8 tiles');
    expect(events[0]!.etaMs).toBeUndefined();
    expect(events[3]!.stage).toBe('enhance-illustration 3/8 tiles');
    expect(events[9]!.stage).toBe('invert 1/1 tiles');
    // The fake clock advances 10 ms per reading: one per tile, so ETA = 10 ms × tiles left.
    expect(events.slice(1).map((e) => e.etaMs)).toEqual([80, 70, 60, 50, 40, 30, 20, 10, 0]);
  });

  it('stops between tiles when the signal fires: CANCELLED and no further model calls', async () => {
    const signal = { aborted: false };
    const runner = new MathRunner({ onCall: (n) => (signal.aborted = n === 2 || signal.aborted) });
    const error = await rejection(
      executePipeline(noiseImage(70, 45), [enhance, invert], {
        runner,
        signal,
        tileSize: () => 32,
      }),
    );
    expect(error.code).toBe('CANCELLED');
    expect(runner.calls).toHaveLength(2);

    const idle = new MathRunner();
    expect(
      (await rejection(executePipeline(noiseImage(4, 4), [invert], { runner: idle, signal }))).code,
    ).toBe('CANCELLED');
    expect(idle.calls).toHaveLength(0);
  });

  it('turns runtime failures and malformed outputs into typed errors', async () => {
    const input = noiseImage(4, 4);
    const failing = new MathRunner({
      onCall: () => {
        throw new Error('out of memory');
      },
    });
    const failed = await rejection(executePipeline(input, [invert], { runner: failing }));
    expect(failed.code).toBe('INFERENCE_FAILED');
    expect(failed.message).toContain('filter-color-matrix: out of memory');

    const unavailable = new MathRunner({
      onCall: () => {
        throw new LoupeError('MODEL_UNAVAILABLE');
      },
    });
    expect((await rejection(executePipeline(input, [invert], { runner: unavailable }))).code).toBe(
      'MODEL_UNAVAILABLE',
    );

    const wrongShape = new MathRunner({
      override: () => ({ output: { data: new Float32Array(12), dims: [1, 3, 2, 2] } }),
    });
    const malformed = await rejection(executePipeline(input, [invert], { runner: wrongShape }));
    expect(malformed.code).toBe('INFERENCE_FAILED');
    expect(malformed.message).toContain('expected [1, 4, 4, 4]');

    const corrupt = { width: 4, height: 4, data: new Uint8Array(10) };
    expect(
      (await rejection(executePipeline(corrupt, [invert], { runner: new MathRunner() }))).code,
    ).toBe('IMAGE_CORRUPT');
  });
});

describe('planPipeline', () => {
  it('knows every step size and tile count before running', () => {
    const plan = planPipeline(
      [
        { op: 'upscale', params: { model: 'slim', scale: 2 } },
        {
          op: 'remove-background',
          params: { model: 'quint8', output: 'blur', color: '#ffffff', blurRadius: 4 },
        },
        {
          op: 'remove-background',
          params: { model: 'quint8', output: 'cutout', color: '#ffffff', blurRadius: 4 },
        },
      ],
      { width: 300, height: 100 },
    );
    expect(plan.map((p) => [p.output.width, p.output.height, p.tiles])).toEqual([
      [600, 200, 3],
      [600, 200, 2],
      [600, 200, 1],
    ]);
  });

  it('returns no colour under alpha 0, whatever the op made of it, and leaves the input alone', async () => {
    // noiseImage with alpha: some pixels are fully transparent over random colour; Invert turns
    // a cleared (0, 0, 0, 0) into (255, 255, 255, 0), so the rule must hold at the pipeline's end.
    const input = noiseImage(40, 30, true);
    for (let i = 3; i < input.data.length; i += 16) input.data[i] = 0;
    const before = Uint8Array.from(input.data);
    const { image: out } = await executePipeline(input, [invert, invert, invert], {
      runner: new MathRunner(),
    });
    let clear = 0;
    for (let i = 0; i < out.data.length; i += 4) {
      if (out.data[i + 3] !== 0) continue;
      clear++;
      expect(Array.from(out.data.subarray(i, i + 3))).toEqual([0, 0, 0]);
    }
    expect(clear).toBeGreaterThanOrEqual(300);
    // Semi-transparent pixels keep their straight colour: inverted three times, it is inverted.
    const semi = pixelIndexWithAlpha(input, (a) => a > 0 && a < 255);
    expect(pixel(out, semi % 40, Math.floor(semi / 40))).toEqual([
      255 - before[4 * semi]!,
      255 - before[4 * semi + 1]!,
      255 - before[4 * semi + 2]!,
      before[4 * semi + 3],
    ]);
    expect(input.data).toEqual(before);
  });
});

function pixelIndexWithAlpha(img: { data: Uint8Array }, test: (a: number) => boolean): number {
  for (let i = 0; i < img.data.length / 4; i++) if (test(img.data[4 * i + 3]!)) return i;
  throw new Error('no such pixel');
}
