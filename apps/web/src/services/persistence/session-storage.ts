import type { SessionDb } from './session-db';
import { picturesToSave } from './saved-budget';
import {
  fromRecord,
  recordKeys,
  toRecord,
  type RestoredSession,
  type SavedSession,
} from './session-record';

/** What one save writes: blobs not stored yet, blobs no longer referred to, and the record. */
export interface SavePlan {
  put: Map<string, Blob>;
  remove: string[];
  /** Null when there is nothing to keep: the record is deleted. */
  record: unknown;
  /** Every blob key stored once this plan is written. */
  stored: Set<string>;
}

/**
 * What a save of `session` must write, given the blob keys already `stored`: files and
 * pictures are written once and deleted when nothing refers to them any more.
 */
export function planSave(
  session: SavedSession,
  budget: number,
  stored: ReadonlySet<string>,
  savedAt: number,
): SavePlan {
  const empty = !session.workspace.documents.length && !session.batch?.items.length;
  if (empty) return { put: new Map(), remove: [...stored], record: null, stored: new Set() };
  const { record, blobs } = toRecord(session, picturesToSave(session.workspace, budget), savedAt);
  return {
    put: new Map([...blobs].filter(([key]) => !stored.has(key))),
    remove: [...stored].filter((key) => !blobs.has(key)),
    record,
    stored: new Set(blobs.keys()),
  };
}

export type LoadedSession = RestoredSession | { ok: true; session: null };

export interface SessionStorage {
  /** The saved session, or why it cannot be restored; never throws for a bad record. */
  load(): Promise<LoadedSession>;
  /** @throws the database's error, e.g. QuotaExceededError; what was saved before stays. */
  save(session: SavedSession): Promise<void>;
  clear(): Promise<void>;
}

/** Saves and loads one session in `db`, within `budget()` bytes. */
export function createSessionStorage(
  db: SessionDb,
  budget: () => number,
  now: () => number = Date.now,
): SessionStorage {
  let stored = new Set<string>();
  return {
    async load() {
      const { record, blobKeys } = await db.read();
      stored = new Set(blobKeys);
      if (record === null) return { ok: true, session: null };
      return fromRecord(record, await db.readBlobs(recordKeys(record)));
    },
    async save(session) {
      const plan = planSave(session, budget(), stored, now());
      await db.write(plan);
      stored = plan.stored;
    },
    async clear() {
      await db.clear();
      stored = new Set();
    },
  };
}
