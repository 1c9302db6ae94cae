/**
 * The saved session in IndexedDB, through a wrapper this thin on purpose: two object stores,
 * `session` (one record, key `current`) and `blobs` (files and packed pictures by key), and
 * every save one transaction over both, so a reload never sees half a save.
 */
export interface SessionDb {
  /** The stored record (unparsed) and the keys of every stored blob. */
  read(): Promise<{ record: unknown; blobKeys: string[] }>;
  readBlobs(keys: readonly string[]): Promise<Map<string, Blob>>;
  /** One transaction: put these blobs, delete those, then the record (null deletes it). */
  write(change: {
    put: ReadonlyMap<string, Blob>;
    remove: readonly string[];
    record: unknown;
  }): Promise<void>;
  clear(): Promise<void>;
}

const DB_NAME = 'loupe';
const DB_VERSION = 1;
const SESSION = 'session';
const BLOBS = 'blobs';
const RECORD_KEY = 'current';

const done = <T>(request: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });

const finished = (tx: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // A quota error aborts the transaction; its error is the request's (QuotaExceededError).
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
    tx.onerror = () => {};
  });

/** True for the error a full origin's storage gives, whichever way the browser reports it. */
export function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);
}

/**
 * Opens (creating on first use) the session database.
 *
 * @throws when IndexedDB is missing or refused (some private modes, disabled storage).
 */
export async function openSessionDb(factory: IDBFactory = indexedDB): Promise<SessionDb> {
  const open = factory.open(DB_NAME, DB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains(SESSION)) db.createObjectStore(SESSION);
    if (!db.objectStoreNames.contains(BLOBS)) db.createObjectStore(BLOBS);
  };
  const db = await done(open);
  // Another tab opening a newer version must not be blocked by this one.
  db.onversionchange = () => db.close();
  return {
    async read() {
      const tx = db.transaction([SESSION, BLOBS], 'readonly');
      const [record, keys] = await Promise.all([
        done(tx.objectStore(SESSION).get(RECORD_KEY)),
        done(tx.objectStore(BLOBS).getAllKeys()),
      ]);
      return { record: record ?? null, blobKeys: keys.map(String) };
    },
    async readBlobs(keys) {
      const tx = db.transaction(BLOBS, 'readonly');
      const store = tx.objectStore(BLOBS);
      const values = await Promise.all(keys.map((k) => done(store.get(k))));
      const out = new Map<string, Blob>();
      keys.forEach((k, i) => values[i] instanceof Blob && out.set(k, values[i]));
      return out;
    },
    async write({ put, remove, record }) {
      const tx = db.transaction([SESSION, BLOBS], 'readwrite');
      const blobs = tx.objectStore(BLOBS);
      for (const key of remove) blobs.delete(key);
      for (const [key, blob] of put) blobs.put(blob, key);
      if (record === null) tx.objectStore(SESSION).delete(RECORD_KEY);
      else tx.objectStore(SESSION).put(record, RECORD_KEY);
      await finished(tx);
    },
    async clear() {
      const tx = db.transaction([SESSION, BLOBS], 'readwrite');
      tx.objectStore(SESSION).clear();
      tx.objectStore(BLOBS).clear();
      await finished(tx);
    },
  };
}
