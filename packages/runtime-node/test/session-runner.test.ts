import { describe, expect, it } from 'vitest';
import type { ModelId } from '@loupe/shared';
import { buildProbeModel, probeError, probeInput } from '../src/probe-model';
import { SessionCache } from '../src/session-cache';
import { SessionRunner } from '../src/session-runner';

// The cache's source decides the bytes, so any id can stand for the probe graph (a real ONNX
// model built in code: a 3x3 box filter with a reference to check its numbers against).
const BOX: ModelId = 'filter-blur';

describe('SessionRunner over a SessionCache', () => {
  it('opens each model once, runs it on onnxruntime-node and gives the sessions back on close', async () => {
    const opened: ModelId[] = [];
    const cache = new SessionCache((id) => {
      opened.push(id);
      return buildProbeModel();
    });
    const runner = new SessionRunner(cache);
    const input = probeInput(8);
    const [a, b] = await Promise.all([
      runner.run(BOX, { x: input }),
      runner.run(BOX, { x: input }),
    ]);
    expect(opened).toEqual([BOX]);
    expect(a.y!.dims).toEqual([1, 4, 8, 8]);
    expect(probeError(input, a.y!)).toBeLessThan(1e-3);
    expect([...b.y!.data]).toEqual([...a.y!.data]);

    await cache.close();
    await runner.run(BOX, { x: input });
    expect(opened).toEqual([BOX, BOX]);
    await cache.close();
  });

  it('refuses an aborted run and reports a failing CPU run as INFERENCE_FAILED naming the model', async () => {
    const cache = new SessionCache(() => buildProbeModel());
    const runner = new SessionRunner(cache);
    const aborted = AbortSignal.abort(new Error('stop'));
    await expect(runner.run(BOX, { x: probeInput(4) }, aborted)).rejects.toThrow('stop');
    // Three channels where the graph takes four: onnxruntime refuses the feed.
    const wrong = { data: new Float32Array(3 * 16), dims: [1, 3, 4, 4] };
    await expect(runner.run(BOX, { x: wrong })).rejects.toMatchObject({
      code: 'INFERENCE_FAILED',
      message: expect.stringContaining(`running ${BOX} on cpu`),
    });
    // On CPU there is nowhere to fall back to: no EP failure is recorded.
    expect(runner.epFailure).toBeUndefined();
    await cache.close();
  });
});
