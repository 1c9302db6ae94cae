import type { ParkedEntry } from '../../stores/documents-store';
import type { WorkspaceSnapshot } from '../documents/workspace';

const MiB = 2 ** 20;
/** Without `navigator.storage.estimate()` plan for what every browser grants an origin. */
const ASSUMED_BYTES = 256 * MiB;
/**
 * A fifth of the origin's quota: the model cache (Cache Storage) shares it and needs room
 * for a few hundred MB of weights.
 */
const QUOTA_FRACTION = 1 / 5;
const MIN_BYTES = 64 * MiB;
const MAX_BYTES = 1024 * MiB;

/**
 * Bytes a saved session may take in IndexedDB, from the browser's storage estimate.
 *
 * @example savedBudgetBytes({ quota: 10 * 2 ** 30 }) // 1 GiB (capped); savedBudgetBytes(null) // 256 MiB
 */
export function savedBudgetBytes(estimate: { quota?: number } | null | undefined): number {
  const quota = estimate?.quota;
  if (!quota) return ASSUMED_BYTES;
  return Math.min(MAX_BYTES, Math.max(MIN_BYTES, Math.floor(quota * QUOTA_FRACTION)));
}

/**
 * Which pictures a save keeps (by entry id) within `budget` bytes, a step's variations with its
 * picture. The files as opened and the masks always go (nothing can recompute them) and count
 * first; then each document's shown picture; then the other pictures newest first, until one does not fit: the oldest are the ones left out,
 * and each is recomputed from an earlier picture if it is selected after a reload.
 *
 * @example picturesToSave(snapshot, 64 * 2 ** 20) // Set { 7, 12, 11 }
 */
export function picturesToSave(snapshot: WorkspaceSnapshot, budget: number): Set<number> {
  // Masks too: like the files, nothing can recompute them (a few hundred bytes each).
  let total = snapshot.documents.reduce(
    (sum, d) => sum + d.file.size + d.history.reduce((m, e) => m + (e.mask?.size ?? 0), 0),
    0,
  );
  const keep = new Set<number>();
  const shown = snapshot.documents.flatMap((d) => {
    const e = d.history[d.cursor];
    return e?.picture ? [{ id: e.id, bytes: entryBytes(e) }] : [];
  });
  for (const p of shown) {
    if (total + p.bytes > budget) continue;
    keep.add(p.id);
    total += p.bytes;
  }
  const shownIds = new Set(shown.map((p) => p.id));
  const others = snapshot.documents
    .flatMap((d) =>
      d.history.flatMap((e) => (e.picture ? [{ id: e.id, bytes: entryBytes(e) }] : [])),
    )
    .filter((p) => !shownIds.has(p.id))
    .sort((a, b) => b.id - a.id);
  for (const p of others) {
    if (total + p.bytes > budget) break;
    keep.add(p.id);
    total += p.bytes;
  }
  return keep;
}

/** A kept entry's bytes: its picture and its step's other variations, which are saved with it. */
function entryBytes(e: ParkedEntry): number {
  const others = (e.variations ?? []).reduce(
    (sum, v) => sum + (v.picture && v.picture !== e.picture ? v.picture.size : 0),
    0,
  );
  return (e.picture?.size ?? 0) + others;
}
