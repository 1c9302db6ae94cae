import { describe, expect, it } from 'vitest';
import { gaussianKernel } from '../../ops/params/blur';
import type { RemoveBackgroundParams } from '../../ops/params/remove-background';
import { toByte } from '../../kernels/tensor';
import type { ModelId } from '../../models/model-ids';
import type { InputMemo } from '../context';
import { executePipeline, executeStep } from '../execute';
import type { TensorData } from '../model-runner';
import { image } from '../testing/images';
import { MathRunner } from '../testing/math-runner';

// The stand-in ISNet returns mask = red / 255, so red 51 everywhere gives a matte of 0.2.
const input = image(
  [
    [51, 10, 20, 255],
    [51, 200, 30, 100],
    [51, 0, 0, 0],
  ],
  3,
);
const params = (p: Partial<RemoveBackgroundParams>): RemoveBackgroundParams => ({
  model: 'quint8',
  output: 'cutout',
  color: '#ffffff',
  blurRadius: 12,
  ...p,
});
const run = (p: Partial<RemoveBackgroundParams>, runner = new MathRunner()) =>
  executeStep(input, { op: 'remove-background', params: params(p) }, { runner });

describe('remove-background', () => {
  it('feeds ISNet its fixed 1024×1024 input once and cuts out with matte × alpha', async () => {
    const runner = new MathRunner();
    const result = await run({}, runner);
    expect(runner.calls).toEqual([{ model: 'isnet-quint8', dims: { input: [1, 3, 1024, 1024] } }]);
    expect(result.tiles).toBe(1);
    // The last pixel was already transparent: its red 51 is cleared, not kept under alpha 0.
    expect(Array.from(result.image.data)).toEqual([51, 10, 20, 51, 51, 200, 30, 20, 0, 0, 0, 0]);
  });

  it('returns the cutout alpha as an opaque grey mask', async () => {
    const { image: out } = await run({ output: 'mask', model: 'fp16' });
    expect(Array.from(out.data)).toEqual([51, 51, 51, 255, 20, 20, 20, 255, 0, 0, 0, 255]);
  });

  it('composites over a solid colour', async () => {
    const { image: out } = await run({ output: 'color', color: '#ffffff' });
    expect(Array.from(out.data)).toEqual([
      214, 206, 208, 255, 239, 251, 237, 255, 255, 255, 255, 255,
    ]);
    const { image: green } = await run({ output: 'color', color: '#00ff00' });
    expect(Array.from(green.data.subarray(8))).toEqual([0, 255, 0, 255]);
  });

  it('composites over the image blurred by the filter-blur graph', async () => {
    const opaque = image(
      [
        [51, 0, 0, 255],
        [51, 90, 0, 255],
        [51, 0, 0, 255],
      ],
      3,
    );
    const runner = new MathRunner();
    const result = await executeStep(
      opaque,
      { op: 'remove-background', params: params({ output: 'blur', blurRadius: 1 }) },
      { runner },
    );
    const k = gaussianKernel(1);
    expect(runner.modelsCalled()).toEqual(['isnet-quint8', 'filter-blur']);
    expect(runner.calls[1]!.dims).toEqual({ image: [1, 4, 1, 3], kernel: [k.length] });
    expect(result.tiles).toBe(2);
    expect(result.models).toEqual(['isnet-quint8', 'filter-blur']);
    // Green is 90 only in the middle; the blurred backdrop spreads it with the Gaussian taps.
    const half = (k.length - 1) / 2;
    const backdrop = [90 * k[half + 1]!, 90 * k[half]!, 90 * k[half - 1]!];
    const green = [0, 90, 0].map((g, x) => toByte(0.2 * g + 0.8 * toByte(backdrop[x]!)));
    expect([1, 5, 9].map((i) => result.image.data[i])).toEqual(green);
    expect([0, 4, 8].map((i) => result.image.data[i])).toEqual([51, 51, 51]);
    expect([3, 7, 11].map((i) => result.image.data[i])).toEqual([255, 255, 255]);
  });
});

/** What a host keeps for one input picture: here, a plain map. */
function memo(): InputMemo & { kept: Map<ModelId, Readonly<Record<string, TensorData>>> } {
  const kept = new Map<ModelId, Readonly<Record<string, TensorData>>>();
  return { kept, get: (m) => kept.get(m), set: (m, r) => void kept.set(m, r) };
}

describe('remove-background with a host that keeps the matte of its input', () => {
  it('runs ISNet once per model: another output mode only recomposites, with the same pixels as a fresh run', async () => {
    const runner = new MathRunner();
    const inputMemo = memo();
    const first = await executeStep(
      input,
      { op: 'remove-background', params: params({}) },
      { runner, inputMemo },
    );
    expect([...inputMemo.kept.keys()]).toEqual(['isnet-quint8']);
    for (const output of ['mask', 'color', 'cutout'] as const) {
      const again = await executeStep(
        input,
        { op: 'remove-background', params: params({ output, color: '#00ff00' }) },
        { runner, inputMemo },
      );
      const fresh = await run({ output, color: '#00ff00' });
      expect(Array.from(again.image.data)).toEqual(Array.from(fresh.image.data));
      // Counted as the tile it stands for, and named as the model the result depends on.
      expect(again.tiles).toBe(1);
      expect(again.models).toEqual(['isnet-quint8']);
    }
    expect(runner.modelsCalled()).toEqual(['isnet-quint8']);
    expect(Array.from(first.image.data)).toEqual(Array.from((await run({})).image.data));

    await executeStep(
      input,
      { op: 'remove-background', params: params({ model: 'fp16' }) },
      { runner, inputMemo },
    );
    expect(runner.modelsCalled()).toEqual(['isnet-quint8', 'isnet-fp16']);
  });

  it('keeps and reads the matte of the run’s own input only: a later step sees another picture', async () => {
    const runner = new MathRunner();
    const inputMemo = memo();
    const steps = [
      { op: 'invert', params: {} },
      { op: 'remove-background', params: params({}) },
    ] as const;
    await executePipeline(input, steps, { runner, inputMemo });
    await executePipeline(input, steps, { runner, inputMemo });
    expect(inputMemo.kept.size).toBe(0);
    expect(runner.modelsCalled().filter((m) => m === 'isnet-quint8')).toHaveLength(2);
  });
});
