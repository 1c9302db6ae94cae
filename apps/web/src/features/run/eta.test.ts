import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../stores/editor-store';
import { remainingMs } from './eta';

type Running = Extract<RunStatus, { kind: 'running' }>;
const run = (over: Partial<Running> = {}): Running => ({
  kind: 'running',
  where: 'browser',
  stage: 'Preparing isnet-quint8 (WASM)…',
  startedAt: 1_000,
  label: 'Remove background',
  ...over,
});
const tiles = (done: number, total: number, etaMs?: number) => ({
  done,
  total,
  unit: 'tile' as const,
  stage: `Upscale ${done}/${total} tiles`,
  ...(etaMs !== undefined ? { etaMs } : {}),
});

describe('time left of a run', () => {
  it('before the first tile, is the predicted time less the time passed', () => {
    expect(remainingMs(run({ estimateMs: 14_000 }), 5_000)).toBe(10_000);
    expect(remainingMs(run({ estimateMs: 14_000, progress: tiles(0, 9) }), 5_000)).toBe(10_000);
  });

  it('says nothing once the run has outlasted its prediction, or without one', () => {
    expect(remainingMs(run({ estimateMs: 2_000 }), 5_000)).toBeNull();
    expect(remainingMs(run(), 5_000)).toBeNull();
  });

  it('after tiles start, follows the tile rate, not the prediction', () => {
    expect(remainingMs(run({ estimateMs: 14_000, progress: tiles(3, 9, 4_200) }), 5_000)).toBe(
      4_200,
    );
    // 4 s for 2 tiles: 2 s a tile, 7 to go.
    expect(remainingMs(run({ estimateMs: 1_000, progress: tiles(2, 9) }), 5_000)).toBe(14_000);
  });
});
