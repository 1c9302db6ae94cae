import type { RunStatus } from '../../stores/editor-store';

type Running = Extract<RunStatus, { kind: 'running' }>;

/**
 * The class that animates a run's busy indicator, or '' for none. A spinner or a pulsing bar
 * makes the page composite every frame, and where that happens in software (no GPU
 * compositing, headless Chromium) it takes a core from the WASM threads doing the edit: in the
 * restore e2e, one 256² MAXIM tile on WASM ran 26 s with them moving and 8 s without. So a run
 * in this browser shows its progress and elapsed time (twice a second) and nothing that moves
 * each frame; a server run's indicator moves, unless the user asked for reduced motion.
 *
 * @example busyMotion({ ...run, where: 'browser' }, 'spin') // ''
 */
export function busyMotion(run: Pick<Running, 'where'>, kind: 'spin' | 'pulse'): string {
  if (run.where === 'browser') return '';
  // Whole class names, so Tailwind's scanner finds them.
  return kind === 'spin' ? 'motion-safe:animate-spin' : 'motion-safe:animate-pulse';
}
