import { describe, expect, it } from 'vitest';
import { isLoupeError } from '../../api/loupe-error';
import type { Step } from '../../ops/pipeline';
import { executePipeline } from '../execute';
import { noiseImage } from '../testing/images';
import { MathRunner } from '../testing/math-runner';
import { RunRegistry, type AbortControllerLike } from './run-registry';
import { runFailurePayload } from './run-failure';

/** shared has no AbortController type; the registry needs only this much of one. */
class Controller implements AbortControllerLike {
  readonly signal = { aborted: false };
  abort(): void {
    this.signal.aborted = true;
  }
}

const invert: Step[] = [{ op: 'invert', params: {} }];
const enhance: Step[] = [
  { op: 'enhance-illustration', params: { mode: 'upscale-2x', size: 's', style: 'an' } },
];

describe('RunRegistry', () => {
  it('cancels the run a cancel names, between tiles, and only that one', async () => {
    const runs = new RunRegistry(() => new Controller());
    const seen: string[] = [];
    // Run a's first tile cancels a: the engine stops after it and reports CANCELLED.
    const runner = new MathRunner({ onCall: () => void runs.cancel('a') });
    const a = runs.run('a', (signal) =>
      executePipeline(noiseImage(70, 45), enhance, { runner, signal, tileSize: () => 32 }).catch(
        (e: unknown) => {
          seen.push(`a ${runFailurePayload(e, signal).code}`);
          throw e;
        },
      ),
    );
    const b = runs.run('b', async (signal) => {
      await a.catch(() => undefined);
      seen.push(`b aborted=${signal.aborted}`);
      return executePipeline(noiseImage(4, 4), invert, { runner: new MathRunner(), signal });
    });
    expect(runs.size).toBe(2);
    const failure = await a.catch((e: unknown) => e);
    expect(isLoupeError(failure) && failure.code).toBe('CANCELLED');
    expect(runner.calls).toHaveLength(1);
    expect((await b).tiles).toBe(1);
    expect(seen).toEqual(['a CANCELLED', 'b aborted=false']);
    expect(runs.size).toBe(0);
    expect(runs.cancel('a')).toBe(false);
  });

  it('is cancellable while it waits its turn, and forgets a run once it settles', async () => {
    const runs = new RunRegistry(() => new Controller());
    let startTurn!: () => void;
    const turn = new Promise<void>((resolve) => (startTurn = resolve));
    const queued = runs.run('q', async (signal) => {
      await turn;
      return executePipeline(noiseImage(4, 4), invert, { runner: new MathRunner(), signal });
    });
    expect(runs.cancel('q')).toBe(true);
    startTurn();
    const failure = await queued.catch((e: unknown) => e);
    expect(isLoupeError(failure) && failure.code).toBe('CANCELLED');
    expect(runs.cancel('q')).toBe(false);
  });

  it('keeps a later run under the same id when the earlier one ends', async () => {
    const runs = new RunRegistry(() => new Controller());
    let endFirst!: () => void;
    const first = runs.run('x', () => new Promise<void>((resolve) => (endFirst = resolve)));
    let secondSignal: { readonly aborted: boolean } | undefined;
    let endSecond!: () => void;
    const second = runs.run('x', (signal) => {
      secondSignal = signal;
      return new Promise<void>((resolve) => (endSecond = resolve));
    });
    endFirst();
    await first;
    expect(runs.cancel('x')).toBe(true);
    expect(secondSignal?.aborted).toBe(true);
    endSecond();
    await second;
    expect(runs.size).toBe(0);
  });
});

describe('runFailurePayload', () => {
  it('names the cancel after the signal fired, whatever the runtime threw meanwhile', () => {
    expect(runFailurePayload(new Error('session released'), { aborted: true })).toEqual({
      code: 'CANCELLED',
      message: 'Cancelled',
    });
  });

  it('keeps a typed error and calls anything else an inference failure', async () => {
    const failing = new MathRunner({
      onCall: () => {
        throw new Error('out of memory');
      },
    });
    const thrown = await executePipeline(noiseImage(4, 4), invert, { runner: failing }).catch(
      (e: unknown) => e,
    );
    expect(runFailurePayload(thrown, { aborted: false })).toEqual({
      code: 'INFERENCE_FAILED',
      message: 'filter-color-matrix: out of memory',
    });
    expect(runFailurePayload('worker heap exhausted', { aborted: false })).toEqual({
      code: 'INFERENCE_FAILED',
      message: 'worker heap exhausted',
    });
  });
});
