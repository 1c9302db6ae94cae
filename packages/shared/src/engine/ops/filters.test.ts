import { describe, expect, it } from 'vitest';
import { gaussianKernel } from '../../ops/params/blur';
import { toByte } from '../../kernels/tensor';
import { executeStep } from '../execute';
import { image, noiseImage } from '../testing/images';
import { MathRunner } from '../testing/math-runner';

describe('filters', () => {
  it('invert feeds the colour matrix [3, 4] and passes alpha through', async () => {
    const runner = new MathRunner();
    const result = await executeStep(
      image([[10, 20, 30, 40]], 1),
      { op: 'invert', params: {} },
      { runner },
    );
    expect(Array.from(result.image.data)).toEqual([245, 235, 225, 40]);
    expect(runner.calls).toEqual([
      { model: 'filter-color-matrix', dims: { image: [1, 4, 1, 1], matrix: [3, 4] } },
    ]);
  });

  it('grayscale and sepia use their matrices scaled by amount', async () => {
    const runner = new MathRunner();
    const px = image([[200, 100, 50, 255]], 1);
    const grey = await executeStep(px, { op: 'grayscale', params: { amount: 100 } }, { runner });
    expect(Array.from(grey.image.data)).toEqual([118, 118, 118, 255]);
    const none = await executeStep(px, { op: 'sepia', params: { amount: 0 } }, { runner });
    expect(Array.from(none.image.data)).toEqual([200, 100, 50, 255]);
  });

  it('adjust feeds the six-value parameter vector', async () => {
    const runner = new MathRunner();
    const params = { exposure: 1, contrast: 0, saturation: 0, temperature: 0, tint: 0, gamma: 1 };
    const result = await executeStep(
      image([[10, 20, 30, 40]], 1),
      { op: 'adjust', params },
      { runner },
    );
    expect(Array.from(result.image.data)).toEqual([20, 40, 60, 40]);
    expect(runner.calls[0]!.dims.params).toEqual([6]);
  });

  it('blurs premultiplied, so transparent black does not darken the colour next to it', async () => {
    const result = await executeStep(
      image(
        [
          [255, 0, 0, 255],
          [0, 0, 0, 0],
        ],
        2,
      ),
      { op: 'blur', params: { radius: 0.5 } },
      { runner: new MathRunner() },
    );
    const k = gaussianKernel(0.5); // 5 taps
    expect(Array.from(result.image.data)).toEqual([
      255,
      0,
      0,
      toByte(255 * (k[0]! + k[1]! + k[2]!)),
      255,
      0,
      0,
      toByte(255 * (k[0]! + k[1]!)),
    ]);
  });

  it('sharpens RGB with the kernel and amount inputs', async () => {
    const runner = new MathRunner();
    const grey = (v: number) => [v, v, v, 255];
    const result = await executeStep(
      image([grey(0), grey(100), grey(0)], 3),
      { op: 'sharpen', params: { amount: 1, radius: 0.5 } },
      { runner },
    );
    const k = gaussianKernel(0.5);
    const centre = toByte(200 - 100 * k[2]!);
    expect(Array.from(result.image.data)).toEqual([...grey(0), ...grey(centre), ...grey(0)]);
    expect(runner.calls[0]!.dims).toEqual({ image: [1, 4, 1, 3], kernel: [5], amount: [1] });
  });

  it('tiles large images with overlap = kernel half-width and matches the whole-image result', async () => {
    const input = noiseImage(40, 30, true);
    const step = { op: 'blur', params: { radius: 1 } } as const;
    const tiledRunner = new MathRunner();
    const tiled = await executeStep(input, step, { runner: tiledRunner, tileSize: () => 16 });
    const whole = await executeStep(input, step, { runner: new MathRunner() });
    // Half-width 3: tiles 16 apart by at most 10 → 4 columns × 3 rows.
    expect(tiled.tiles).toBe(12);
    expect(whole.tiles).toBe(1);
    expect(new Set(tiledRunner.calls.map((c) => c.dims.image!.join('x')))).toEqual(
      new Set(['1x4x16x16']),
    );
    expect(tiled.image.data).toEqual(whole.image.data);
    // A runtime limit below 4 × half-width is raised to it rather than leaving no valid pixels.
    const cramped = await executeStep(input, step, { runner: new MathRunner(), tileSize: () => 4 });
    expect(cramped.tiles).toBe(24); // 12-pixel tiles, 6 apart: 6 columns × 4 rows
    expect(cramped.image.data).toEqual(whole.image.data);
  });
});
