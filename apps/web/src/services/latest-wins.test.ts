import { describe, expect, it } from 'vitest';
import { latestWins } from './latest-wins';

/** A task whose jobs end only when the test says so, recording what started and what was aborted. */
function gated() {
  const started: number[] = [];
  const aborted: number[] = [];
  const open: (() => void)[] = [];
  const queue = latestWins<number>(
    (job, signal) =>
      new Promise<void>((resolve, reject) => {
        started.push(job);
        signal.addEventListener('abort', () => (aborted.push(job), reject(new Error('aborted'))));
        open.push(resolve);
      }),
  );
  /** Ends the job in flight and lets the next one start. */
  const finish = async () => {
    open.shift()!();
    await new Promise((r) => setTimeout(r));
  };
  return { queue, started, aborted, finish };
}

describe('latest wins', () => {
  it('starts the first job at once and, of those pushed meanwhile, only the newest', async () => {
    const { queue, started, finish } = gated();
    for (let v = 1; v <= 5; v++) queue.push(v);
    expect(started).toEqual([1]);
    await finish();
    expect(started).toEqual([1, 5]);
    await finish();
    await queue.idle();
    expect(started).toEqual([1, 5]);
  });

  it('never has two jobs in flight', async () => {
    let running = 0;
    let most = 0;
    const queue = latestWins<number>(async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r));
      running--;
    });
    for (let v = 0; v < 20; v++) {
      queue.push(v);
      if (v % 3 === 0) await new Promise((r) => setTimeout(r));
    }
    await queue.idle();
    expect(most).toBe(1);
  });

  it('cancel drops the waiting job and aborts the one in flight; a later push starts afresh', async () => {
    const { queue, started, aborted } = gated();
    queue.push(1);
    queue.push(2);
    queue.cancel();
    await queue.idle();
    expect(aborted).toEqual([1]);
    expect(started).toEqual([1]);
    queue.push(3);
    expect(started).toEqual([1, 3]);
  });

  it('goes on after a job that failed', async () => {
    const seen: number[] = [];
    const queue = latestWins<number>(async (job) => {
      seen.push(job);
      if (job === 1) throw new Error('boom');
    });
    queue.push(1);
    queue.push(2);
    await queue.idle();
    expect(seen).toEqual([1, 2]);
  });
});
