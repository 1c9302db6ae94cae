import type { RunStatus } from '../../stores/editor-store';

type Running = Extract<RunStatus, { kind: 'running' }>;

/**
 * Time left of a run, in ms. Once tiles are done, from their rate: the runner's own ETA when it
 * gives one, else the time so far spread over the tiles done. Before the first tile (downloads,
 * sessions, upload, queue), what the time model predicted for the whole run less the time
 * passed. Null when neither can say, or the run has outlasted its prediction.
 *
 * @example remainingMs({ ...run, startedAt: 0, estimateMs: 14_000 }, 4_000) // 10_000
 */
export function remainingMs(run: Running, now: number): number | null {
  const p = run.progress;
  if (p && p.total > 0 && p.done > 0)
    return p.etaMs ?? ((now - run.startedAt) / p.done) * (p.total - p.done);
  if (run.estimateMs === undefined) return null;
  const left = run.estimateMs - (now - run.startedAt);
  return left > 0 ? left : null;
}
