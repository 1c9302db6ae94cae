import { describe, expect, it, vi } from 'vitest';
import type { Notice } from '../../stores/ui-store';
import type { SessionDb } from './session-db';
import { SESSION_VERSION, type SavedSession } from './session-record';
import { createSessionService } from './session-service';

/** A SessionDb over a Map, as IndexedDB would hold it; `failWrites` makes writes fail like a full disk. */
function memoryDb(record: unknown = null) {
  const blobs = new Map<string, Blob>();
  const db = {
    record,
    failWrites: false,
    writes: 0,
    async read() {
      return { record: db.record, blobKeys: [...blobs.keys()] };
    },
    async readBlobs(keys: readonly string[]) {
      return new Map(keys.flatMap((k) => (blobs.has(k) ? [[k, blobs.get(k)!] as const] : [])));
    },
    async write({ put, remove, record }: Parameters<SessionDb['write']>[0]) {
      db.writes++;
      if (db.failWrites)
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      for (const k of remove) blobs.delete(k);
      for (const [k, b] of put) blobs.set(k, b);
      db.record = record;
    },
    async clear() {
      blobs.clear();
      db.record = null;
    },
  };
  return db;
}

const empty: SavedSession = { workspace: { activeId: null, documents: [] }, batch: null };

function service(db: ReturnType<typeof memoryDb> | null, collect = async () => empty) {
  const notices: Omit<Notice, 'id'>[] = [];
  let changed = () => {};
  const restore = vi.fn(async () => {});
  const s = createSessionService({
    open: async () => {
      if (!db) throw new TypeError('indexedDB is undefined');
      return db;
    },
    budget: async () => 1e9,
    collect,
    subscribe: (onChange) => ((changed = onChange), () => {}),
    restore,
    notify: (n) => notices.push(n),
    delayMs: 0,
  });
  return { s, notices, restore, change: () => changed() };
}

describe('session service', () => {
  it('without IndexedDB works in memory and says so once', async () => {
    const { s, notices } = service(null);
    expect(await s.start()).toBeNull();
    expect(s.autosave.status.getState().state).toBe('off');
    expect(notices.map((n) => n.title)).toEqual(['This session is kept in this tab only']);
  });

  it('says once that storage is full, however many saves fail, and saves again when it can', async () => {
    const db = memoryDb();
    const file = new Blob(['png']);
    const doc = {
      id: 'a',
      name: 'a.png',
      format: 'PNG',
      bytes: 3,
      file,
      sourceSize: { width: 1, height: 1 },
      history: [],
      cursor: -1,
    };
    const { s, notices, change } = service(db, async () => ({
      workspace: { activeId: 'a', documents: [doc] },
      batch: null,
    }));
    await s.start();
    await s.autosave.flush();
    db.failWrites = true;
    for (let i = 0; i < 3; i++) {
      change();
      await s.autosave.flush();
    }
    expect(s.autosave.status.getState().state).toBe('failed');
    expect(notices.map((n) => n.title)).toEqual(['Storage is full: recent work is not saved']);
    db.failWrites = false;
    change();
    await s.autosave.flush();
    expect(s.autosave.status.getState().state).toBe('saved');
    expect((db.record as { documents: unknown[] }).documents).toHaveLength(1);
  });

  it('ignores a record of another version with a notice and restores nothing', async () => {
    const { s, notices, restore } = service(memoryDb({ version: SESSION_VERSION + 1 }));
    expect(await s.start()).toBeNull();
    expect(restore).not.toHaveBeenCalled();
    expect(notices).toEqual([
      expect.objectContaining({
        title: 'Your last session could not be restored',
        detail: 'It was saved by another version of Loupe.',
      }),
    ]);
  });
});
