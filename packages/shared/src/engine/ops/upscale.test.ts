import { describe, expect, it } from 'vitest';
import { executeStep } from '../execute';
import { image, noiseImage, pixel } from '../testing/images';
import { MathRunner } from '../testing/math-runner';

const A = [10, 20, 30, 255];
const B = [40, 50, 60, 255];
const C = [70, 80, 90, 255];
const D = [100, 110, 120, 255];

describe('upscale (ESRGAN)', () => {
  it('feeds RGB tiles and stitches the model output, alpha 255 for opaque input', async () => {
    const runner = new MathRunner();
    const result = await executeStep(
      image([A, B, C, D], 2),
      { op: 'upscale', params: { model: 'slim', scale: 2 } },
      { runner },
    );
    expect(result.image.data).toEqual(
      image([A, A, B, B, A, A, B, B, C, C, D, D, C, C, D, D], 4).data,
    );
    expect(result.tiles).toBe(1);
    expect(result.models).toEqual(['esrgan-slim-x2']);
    expect(runner.calls).toEqual([{ model: 'esrgan-slim-x2', dims: { input: [1, 3, 2, 2] } }]);
  });

  it('round-trips the 0..1 range of RRDN (thick) exactly', async () => {
    const { image: out } = await executeStep(
      image([A, [255, 1, 128, 255]], 2),
      { op: 'upscale', params: { model: 'thick', scale: 3 } },
      { runner: new MathRunner() },
    );
    expect([out.width, out.height]).toEqual([6, 3]);
    expect(pixel(out, 2, 2)).toEqual(A);
    expect(pixel(out, 3, 0)).toEqual([255, 1, 128, 255]);
  });

  it('keeps transparency: transparent stays transparent, a soft edge keeps its colour', async () => {
    const red = [255, 0, 0, 255];
    const clear = [0, 0, 0, 0];
    const { image: out } = await executeStep(
      image([red, clear], 2),
      { op: 'upscale', params: { model: 'slim', scale: 2 } },
      { runner: new MathRunner() },
    );
    // Alpha is resized bilinearly on its own; the pixel sampling the transparent (black)
    // source pixel is partly visible and must be red, not black. A fully transparent pixel
    // carries no colour (the pipeline's output rule).
    expect([0, 1, 2, 3].map((x) => pixel(out, x, 1))).toEqual([
      [255, 0, 0, 255],
      [255, 0, 0, 191],
      [255, 0, 0, 64],
      [0, 0, 0, 0],
    ]);
  });
});

describe('enhance-illustration (Anime4K)', () => {
  it('tiles with one shape and matches the whole-image result', async () => {
    const input = noiseImage(70, 45);
    const step = {
      op: 'enhance-illustration',
      params: { mode: 'upscale-2x', size: 's', style: 'an' },
    } as const;
    const tiledRunner = new MathRunner();
    const tiled = await executeStep(input, step, { runner: tiledRunner, tileSize: () => 32 });
    const whole = await executeStep(input, step, { runner: new MathRunner() });
    expect(tiled.tiles).toBe(8);
    expect(whole.tiles).toBe(1);
    expect(new Set(tiledRunner.calls.map((c) => c.dims.input!.join('x')))).toEqual(
      new Set(['1x3x32x32']),
    );
    expect([tiled.image.width, tiled.image.height]).toEqual([140, 90]);
    expect(tiled.image.data).toEqual(whole.image.data);
  });

  it('does not let transparent black bleed into a half-transparent subject', async () => {
    const clear = [0, 0, 0, 0];
    const subject = [200, 100, 50, 128];
    const pixels = Array.from({ length: 25 }, (_, i) => (i === 12 ? subject : clear));
    const { image: out } = await executeStep(
      image(pixels, 5),
      { op: 'enhance-illustration', params: { mode: 'upscale-2x', size: 's', style: 'an' } },
      { runner: new MathRunner() },
    );
    // The model blurs 3×3; without the colour fill the subject would mix with black.
    expect(pixel(out, 4, 4)).toEqual([200, 100, 50, 72]);
    expect(pixel(out, 5, 5)).toEqual([200, 100, 50, 72]);
    expect(pixel(out, 3, 3)).toEqual([200, 100, 50, 8]);
    expect(pixel(out, 0, 0)[3]).toBe(0);
    expect(pixel(out, 9, 9)[3]).toBe(0);
  });

  it('restores at the same size with alpha untouched', async () => {
    const input = noiseImage(9, 7, true);
    const { image: out } = await executeStep(
      input,
      { op: 'enhance-illustration', params: { mode: 'restore', size: 'm', style: 'an' } },
      { runner: new MathRunner() },
    );
    expect([out.width, out.height]).toEqual([9, 7]);
    for (let i = 3; i < out.data.length; i += 4) expect(out.data[i]).toBe(input.data[i]);
  });
});
