import type {
  ModelId,
  ModelManifest,
  ModelResidencySnapshot,
  Residency,
  ResidencyAction,
} from '@loupe/shared';
import { createSession, releaseSession, type OrtEp, type OrtSession } from './ort';
import { readVerifiedModel } from './model-files';
import type { SessionPool } from './session-pool';

interface Entry {
  bytes?: Uint8Array;
  session?: OrtSession;
  /** One in-flight load per model: concurrent acquires share it, so there is never a double load. */
  loading?: Promise<OrtSession>;
  inUse: number;
  lastUsedAt: number | null;
  counters: { loads: number; offloads: number; reloads: number; releases: number };
  timings: { lastLoadMs: number | null; lastReloadMs: number | null };
}

/**
 * Where each model lives in this child: unloaded → (load: read + sha256 + session) → device;
 * offload drops the session but keeps the bytes (ram) so a reload skips disk and hashing;
 * release drops both. onnxruntime has no device-memory limit: releasing a session is the only
 * way to give memory back, so this is the GPU manager.
 */
export class ModelResidency implements SessionPool {
  private readonly entries = new Map<ModelId, Entry>();

  constructor(
    private readonly manifest: ModelManifest,
    private readonly modelsDir: string,
    private ep: OrtEp,
    private readonly onChange: () => void = () => {},
    private readonly now: () => number = Date.now,
  ) {
    for (const m of manifest.models) this.entries.set(m.id, newEntry());
  }

  get executionProvider(): OrtEp {
    return this.ep;
  }

  /** Marks the model in use, loading it if needed. Pair every acquire with `release`. */
  async acquire(id: ModelId): Promise<OrtSession> {
    const entry = this.entry(id);
    entry.inUse++;
    try {
      if (entry.session) return entry.session;
      entry.loading ??= this.load(id, entry).finally(() => (entry.loading = undefined));
      return await entry.loading;
    } catch (e) {
      entry.inUse--;
      throw e;
    }
  }

  release(id: ModelId): void {
    const entry = this.entry(id);
    entry.inUse = Math.max(0, entry.inUse - 1);
    entry.lastUsedAt = this.now();
    this.onChange();
  }

  /** Offload or release the given models (all when omitted); models in use are skipped, never pulled. */
  async apply(
    action: ResidencyAction,
    ids?: readonly string[],
  ): Promise<{ affected: string[]; skippedInUse: string[] }> {
    const affected: string[] = [];
    const skippedInUse: string[] = [];
    for (const [id, entry] of this.entries) {
      if (ids && !ids.includes(id)) continue;
      const holdsSomething =
        action === 'offload' ? Boolean(entry.session) : Boolean(entry.session || entry.bytes);
      if (!holdsSomething) continue;
      if (entry.inUse > 0 || entry.loading) {
        skippedInUse.push(id);
        continue;
      }
      if (entry.session) await releaseSession(entry.session);
      entry.session = undefined;
      if (action === 'offload') entry.counters.offloads++;
      else {
        entry.bytes = undefined;
        // Nothing is held any more, so nothing is idle: the idle clock stops until the next use.
        entry.lastUsedAt = null;
        entry.counters.releases++;
      }
      affected.push(id);
    }
    if (affected.length) this.onChange();
    return { affected, skippedInUse };
  }

  /** Offloads every model resident on the device and idle for at least `idleMs`. */
  async offloadIdle(idleMs: number): Promise<string[]> {
    const now = this.now();
    const idle = [...this.entries]
      .filter(
        ([, e]) =>
          e.session && e.inUse === 0 && e.lastUsedAt !== null && now - e.lastUsedAt >= idleMs,
      )
      .map(([id]) => id);
    if (!idle.length) return [];
    return (await this.apply('offload', idle)).affected;
  }

  /** After a device loss: every session is dropped (they belong to the dead device) and new ones use `ep`. */
  async switchEp(ep: OrtEp): Promise<void> {
    await this.apply('offload');
    this.ep = ep;
  }

  snapshot(): ModelResidencySnapshot[] {
    return [...this.entries].map(([id, e]) => ({
      id,
      residency: residencyOf(e),
      inUse: e.inUse,
      lastUsedAt: e.lastUsedAt,
      counters: { ...e.counters },
      timings: { ...e.timings },
    }));
  }

  private async load(id: ModelId, entry: Entry): Promise<OrtSession> {
    const fromRam = Boolean(entry.bytes);
    const start = performance.now();
    entry.bytes ??= await readVerifiedModel(this.manifest, this.modelsDir, id);
    const session = await createSession(entry.bytes, { ep: this.ep });
    entry.session = session;
    const ms = performance.now() - start;
    if (fromRam) {
      entry.counters.reloads++;
      entry.timings.lastReloadMs = ms;
    } else {
      entry.counters.loads++;
      entry.timings.lastLoadMs = ms;
    }
    this.onChange();
    return session;
  }

  private entry(id: ModelId): Entry {
    // A model missing from the manifest gets a throwaway entry: its load fails with the fix.
    return this.entries.get(id) ?? newEntry();
  }
}

function newEntry(): Entry {
  return {
    inUse: 0,
    lastUsedAt: null,
    counters: { loads: 0, offloads: 0, reloads: 0, releases: 0 },
    timings: { lastLoadMs: null, lastReloadMs: null },
  };
}

function residencyOf(e: Entry): Residency {
  if (e.session) return 'device';
  return e.bytes ? 'ram' : 'unloaded';
}
