import { LoupeError, type BrowserEp } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { runWithFallback } from './fallback';

const notAborted = { aborted: false };

/** An edit whose WebGPU attempt throws `webgpuError`; records which EPs were tried. */
function edit(webgpuError?: unknown) {
  const tried: BrowserEp[] = [];
  const attempt = async (ep: BrowserEp) => {
    tried.push(ep);
    if (ep === 'webgpu' && webgpuError) throw webgpuError;
    return `pixels from ${ep}`;
  };
  return { tried, attempt };
}

describe('runWithFallback', () => {
  it('reruns on WASM after a WebGPU failure, says why, and lets the caller release WebGPU', async () => {
    const { tried, attempt } = edit(new Error('GPU device was lost'));
    const released: string[] = [];
    const out = await runWithFallback({ ep: 'webgpu' }, attempt, notAborted, async (r) =>
      released.push(r),
    );
    expect(out).toEqual({
      result: 'pixels from wasm',
      ep: 'wasm',
      fallback: { from: 'webgpu', reason: 'GPU device was lost' },
    });
    expect(tried).toEqual(['webgpu', 'wasm']);
    expect(released).toEqual(['GPU device was lost']);
  });

  it('reports a WebGPU skipped before running as a fallback too', async () => {
    const { attempt } = edit();
    const out = await runWithFallback({ ep: 'wasm', skipped: 'no adapter' }, attempt, notAborted);
    expect(out).toEqual({
      result: 'pixels from wasm',
      ep: 'wasm',
      fallback: { from: 'webgpu', reason: 'no adapter' },
    });
  });

  it('does not rerun a cancel, a missing model, or anything after the signal fired', async () => {
    for (const error of [
      new LoupeError('CANCELLED'),
      new LoupeError('MODEL_UNAVAILABLE', 'gone'),
    ]) {
      const { tried, attempt } = edit(error);
      await expect(runWithFallback({ ep: 'webgpu' }, attempt, notAborted)).rejects.toBe(error);
      expect(tried).toEqual(['webgpu']);
    }
    const { tried, attempt } = edit(new Error('kernel failed'));
    await expect(runWithFallback({ ep: 'webgpu' }, attempt, { aborted: true })).rejects.toThrow(
      'kernel failed',
    );
    expect(tried).toEqual(['webgpu']);
  });

  it('succeeds on WebGPU with no fallback field at all', async () => {
    const { attempt } = edit();
    expect(await runWithFallback({ ep: 'webgpu' }, attempt, notAborted)).toEqual({
      result: 'pixels from webgpu',
      ep: 'webgpu',
    });
  });
});
