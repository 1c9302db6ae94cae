import { LoupeError, executePipeline, type ModelRunner, type Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { isDeviceLost, webgpuFailureReason } from './worker-errors';

const invert: Step[] = [{ op: 'invert', params: {} }];
const pixel = () => ({ width: 1, height: 1, data: Uint8Array.of(1, 2, 3, 255) });

/** What the engine throws when the runtime under it fails with `error`. */
async function engineFailure(error: unknown): Promise<unknown> {
  const failing: ModelRunner = {
    run: async () => {
      throw error;
    },
  };
  return executePipeline(pixel(), invert, { runner: failing }).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('webgpuFailureReason', () => {
  it('reruns a runtime or device failure on WASM, naming the model that failed', async () => {
    const lost = webgpuFailureReason(await engineFailure(new Error('GPU device was lost')));
    expect(lost).toBe('filter-color-matrix: GPU device was lost');
    expect(isDeviceLost(lost!)).toBe(true);
    const unavailable = new LoupeError('WEBGPU_UNAVAILABLE', 'no adapter for this session');
    expect(webgpuFailureReason(await engineFailure(unavailable))).toBe(
      'no adapter for this session',
    );
    expect(webgpuFailureReason('a string from the runtime')).toBe('a string from the runtime');
  });

  it('does not rerun what would fail the same way on WASM', async () => {
    for (const error of [
      new LoupeError('CANCELLED'),
      new LoupeError('MODEL_UNAVAILABLE', 'gone'),
      new LoupeError('INVALID_PARAMS'),
    ]) {
      const thrown = await engineFailure(error);
      expect(thrown).toBe(error);
      expect(webgpuFailureReason(thrown)).toBeUndefined();
    }
  });
});

describe('isDeviceLost', () => {
  it('marks WebGPU broken for lost, destroyed or exhausted devices only', () => {
    for (const m of ['Device is lost', 'GPUDevice was destroyed', 'upscale: out of memory'])
      expect(isDeviceLost(m)).toBe(true);
    for (const m of ['kernel failed', 'invalid shader']) expect(isDeviceLost(m)).toBe(false);
  });
});
