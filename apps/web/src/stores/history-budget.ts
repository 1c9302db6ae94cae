import type { RgbaImage, Size } from '@loupe/shared';

const MiB = 2 ** 20;
/** Without `navigator.deviceMemory` (Firefox, Safari) plan for the median 4 GB device. */
const ASSUMED_DEVICE_MEMORY_GB = 4;
/**
 * History may hold an eighth of device memory: the placement policy already gives a quarter to
 * the edit in flight, and the stage's canvases and bitmaps need their share too.
 */
const HISTORY_FRACTION = 1 / 8;
/** Enough for a few 12 MP steps even on a 2 GB phone; beyond 2 GB a tab risks being killed. */
const MIN_BUDGET_BYTES = 256 * MiB;
const MAX_BUDGET_BYTES = 2048 * MiB;

/**
 * Bytes of RGBA the history may keep, from `navigator.deviceMemory` (GB, rounded and capped by
 * the browser).
 *
 * @example historyBudgetBytes(8) // 1 GiB; historyBudgetBytes(null) // 512 MiB
 */
export function historyBudgetBytes(deviceMemoryGb: number | null | undefined): number {
  const gb = deviceMemoryGb ?? ASSUMED_DEVICE_MEMORY_GB;
  const bytes = gb * 1024 * MiB * HISTORY_FRACTION;
  return Math.min(MAX_BUDGET_BYTES, Math.max(MIN_BUDGET_BYTES, bytes));
}

export const pictureBytes = (size: Size) => size.width * size.height * 4;

/**
 * Which kept pictures to let go so the rest fit in `budget` bytes: the oldest first, never the
 * shown one (`keep`). The original is not history and is never counted or dropped.
 *
 * @example picturesOverBudget([a, b, c], 2, 2 * pictureBytes(c)) // [0]: a goes, b and c stay
 */
export function picturesOverBudget(
  pictures: readonly (RgbaImage | null)[],
  keep: number,
  budget: number,
): number[] {
  return bytesOverBudget(
    pictures.map((p) => (p ? p.data.byteLength : 0)),
    keep,
    budget,
  );
}

/**
 * `picturesOverBudget` for pictures known only by their byte counts (0: none kept), e.g. the
 * packed pictures of a document before they are unpacked.
 */
export function bytesOverBudget(bytes: readonly number[], keep: number, budget: number): number[] {
  let total = bytes.reduce((sum, b) => sum + b, 0);
  const drop: number[] = [];
  for (const [i, b] of bytes.entries()) {
    if (total <= budget) break;
    if (!b || i === keep) continue;
    drop.push(i);
    total -= b;
  }
  return drop;
}
