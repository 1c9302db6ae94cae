// How the benches that score a graph against the machine's matmul rate warm up and pick their
// floor (diffusion-unet, maxim): what was learnt on the UNet step, written once.
import { ms, gflops } from './format';
import type { Rate } from '../efficiency-floor';

/** Warm-up steps are run until two in a row agree within this share, at most `MAX_WARMUP`. */
export const STEADY_WITHIN = 0.1;
export const MAX_WARMUP = 5;

/**
 * Runs `step` untimed, at least three times and until the last two agree. The first call of a
 * session is slower (the arena grows: a UNet step took RSS 5.5 → 7.7 GiB). With onnxruntime's
 * memory pattern on, the second is slow as well and agrees with the first (a MAXIM tile: 8.1 s,
 * 8.1 s, then 5.7 s; bench/session-warmup.ts), which two runs alone would take for steady. Loupe's
 * sessions turn the pattern off (one slow call), but a bench may sweep it back on.
 */
export async function warmUntilSteady(step: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  while (times.length < MAX_WARMUP) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
    const [before, last] = times.slice(-2);
    if (times.length >= 3 && Math.abs(last! - before!) <= STEADY_WITHIN * before!) break;
  }
  return times;
}

/** The floor before and after may differ by at most this factor for a pair to be scored. */
export const MAX_FLOOR_DRIFT = 1.5;

export interface ScoredFloor {
  readonly rate: number;
  readonly text: string;
  /** Why the pair is not scored against it, when it is not. */
  readonly unscored?: string;
}

/**
 * The floor a graph is scored against: the faster of the standalone MatMuls before its sessions
 * opened and after they closed (the machine's best at that thread count, so load can only lower
 * the fraction), unscored when the two disagree. A MatMul sampled between long graph runs read
 * 2–3× slower than the same MatMul alone on a quiet machine (UNet: 27–51 against 12–16 ms;
 * MAXIM: a 1-thread 1024³ MatMul took 11 or 21–23 ms by turns), so it is never the floor.
 */
export function scoredFloor(before: Rate, after: Rate): ScoredFloor {
  const drift = Math.max(before.rate, after.rate) / Math.min(before.rate, after.rate);
  return {
    rate: Math.max(before.rate, after.rate),
    text: `${gflops(Math.max(before.rate, after.rate))} (before ${ms(before.medianMs)}, after ${ms(after.medianMs)} ms)`,
    ...(drift > MAX_FLOOR_DRIFT
      ? {
          unscored: `the floor moved ${drift.toFixed(1)}× between before and after (${ms(before.medianMs)} → ${ms(after.medianMs)} ms)`,
        }
      : {}),
  };
}
