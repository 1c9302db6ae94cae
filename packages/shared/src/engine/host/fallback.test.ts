import { describe, expect, it } from 'vitest';
import { LoupeError, isLoupeError } from '../../api/loupe-error';
import type { Step } from '../../ops/pipeline';
import { executePipeline } from '../execute';
import { image } from '../testing/images';
import { MathRunner } from '../testing/math-runner';
import { runWithFallback, type EpPlan } from './fallback';

type BrowserEp = 'webgpu' | 'wasm';
const invert: Step[] = [{ op: 'invert', params: {} }];
const input = () =>
  image(
    [
      [0, 10, 20, 255],
      [200, 100, 50, 128],
    ],
    2,
  );
const INVERTED = [255, 245, 235, 255, 55, 155, 205, 128];

/** The browser's policy, reduced: a runtime failure is worth a rerun, a typed request error is not. */
const browserPolicy = (e: unknown) =>
  isLoupeError(e) && e.code === 'INFERENCE_FAILED' ? e.message : undefined;

/** The engine on one runner per EP; `gpuFails` is what the WebGPU runner throws at its first call. */
function edit(gpuFails?: unknown, signal = { aborted: false }) {
  const runners: Record<BrowserEp, MathRunner> = {
    webgpu: new MathRunner({
      onCall: () => {
        if (gpuFails) throw gpuFails;
      },
    }),
    wasm: new MathRunner(),
  };
  const events: string[] = [];
  const attempt = async (ep: BrowserEp) => {
    events.push(`attempt ${ep}`);
    const out = await executePipeline(input(), invert, { runner: runners[ep], signal });
    return [...out.image.data];
  };
  const run = (plan: EpPlan<BrowserEp>, epFailure = browserPolicy) =>
    runWithFallback({
      plan,
      attempt,
      epFailure,
      onEpFailure: (reason) => void events.push(`release: ${reason}`),
      signal,
    });
  return { runners, events, run, signal };
}

describe('runWithFallback', () => {
  it('reruns on the fallback EP after an EP failure, says why, and lets the host release first', async () => {
    const { run, events, runners } = edit(new Error('GPU device was lost'));
    const out = await run({ ep: 'webgpu', fallbackEp: 'wasm' });
    expect(out).toEqual({
      result: INVERTED,
      ep: 'wasm',
      fallback: { from: 'webgpu', reason: 'filter-color-matrix: GPU device was lost' },
    });
    expect(events).toEqual([
      'attempt webgpu',
      'release: filter-color-matrix: GPU device was lost',
      'attempt wasm',
    ]);
    expect(runners.webgpu.calls).toHaveLength(1);
    expect(runners.wasm.modelsCalled()).toEqual(['filter-color-matrix']);
  });

  it('takes the reason from the platform: a runner that records its own EP failure (the server child)', async () => {
    let failure: Error | undefined;
    const gpu = new MathRunner({
      onCall: () => {
        throw (failure = new Error('running filter-color-matrix on cuda: CUDA out of memory'));
      },
    });
    const cpu = new MathRunner();
    const out = await runWithFallback({
      plan: { ep: 'cuda', fallbackEp: 'cpu' },
      attempt: async (ep) =>
        (await executePipeline(input(), invert, { runner: ep === 'cuda' ? gpu : cpu })).image,
      epFailure: () => failure?.message,
      signal: { aborted: false },
    });
    expect(out.ep).toBe('cpu');
    expect(out.fallback).toEqual({
      from: 'cuda',
      reason: 'running filter-color-matrix on cuda: CUDA out of memory',
    });
    expect([...out.result.data]).toEqual(INVERTED);
  });

  it('reports an EP skipped before running as a fallback too, and runs only the plan EP', async () => {
    const { run, events } = edit();
    const out = await run({ ep: 'wasm', skipped: { from: 'webgpu', reason: 'no WebGPU adapter' } });
    expect(out).toEqual({
      result: INVERTED,
      ep: 'wasm',
      fallback: { from: 'webgpu', reason: 'no WebGPU adapter' },
    });
    expect(events).toEqual(['attempt wasm']);
  });

  it('succeeds on the plan EP with no fallback field at all', async () => {
    const { run, runners } = edit();
    const out = await run({ ep: 'webgpu', fallbackEp: 'wasm' });
    expect(out).toEqual({ result: INVERTED, ep: 'webgpu' });
    expect('fallback' in out).toBe(false);
    expect(runners.wasm.calls).toHaveLength(0);
  });

  it('does not rerun what would fail the same way: a typed request error, a missing model', async () => {
    for (const error of [
      new LoupeError('MODEL_UNAVAILABLE', 'gone'),
      new LoupeError('INVALID_PARAMS'),
    ]) {
      const { run, events } = edit(error);
      await expect(run({ ep: 'webgpu', fallbackEp: 'wasm' })).rejects.toBe(error);
      expect(events).toEqual(['attempt webgpu']);
    }
  });

  it('does not rerun after the signal fired, even an EP failure', async () => {
    const signal = { aborted: false };
    const gpu = new MathRunner({
      onCall: () => {
        signal.aborted = true;
        throw new Error('kernel failed');
      },
    });
    const tried: string[] = [];
    const failure = await runWithFallback({
      plan: { ep: 'webgpu', fallbackEp: 'wasm' },
      attempt: async (ep) => {
        tried.push(ep);
        return executePipeline(input(), invert, { runner: gpu, signal });
      },
      epFailure: () => 'kernel failed',
      signal,
    }).catch((e: unknown) => e);
    expect(isLoupeError(failure) && failure.code).toBe('CANCELLED');
    expect(tried).toEqual(['webgpu']);
  });

  it('has nowhere to go without a fallback EP, and a failing rerun fails the run with its own error', async () => {
    const lost = new Error('device lost');
    const { run, events } = edit(lost);
    const alone = await run({ ep: 'webgpu' }).catch((e: unknown) => e);
    expect(isLoupeError(alone) && alone.message).toBe('filter-color-matrix: device lost');
    expect(events).toEqual(['attempt webgpu']);

    const cpuToo = new MathRunner({
      onCall: () => {
        throw new LoupeError('INFERENCE_FAILED', 'cpu failed too');
      },
    });
    const failing = new MathRunner({
      onCall: () => {
        throw lost;
      },
    });
    const both = runWithFallback({
      plan: { ep: 'cuda', fallbackEp: 'cpu' },
      attempt: (ep) =>
        executePipeline(input(), invert, { runner: ep === 'cuda' ? failing : cpuToo }),
      epFailure: browserPolicy,
      signal: { aborted: false },
    });
    await expect(both).rejects.toThrow('cpu failed too');
  });
});
