import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LoupeError, type DiffusionPart } from '@loupe/shared';
import { createSession, releaseSession, type OrtEp, type OrtSession } from './ort';
import { DEFAULT_SETTINGS, type OrtSettings } from './settings';

/** Where a diffusion folder lives on disk, by its id; undefined when there is no such folder. */
export type DiffusionFolderPaths = (model: string) => string | undefined;

export interface DiffusionPartCounters {
  loads: number;
  offloads: number;
  reloads: number;
  releases: number;
}

/** One part's state, for the GPU status route (one model per folder, memory per part). */
export interface DiffusionPartSnapshot {
  readonly model: string;
  readonly part: DiffusionPart;
  readonly residency: 'device' | 'unloaded';
  readonly inUse: number;
  readonly lastUsedAt: number | null;
  /** Milliseconds the last (re)load took: session creation from the part's file. */
  readonly lastLoadMs: number | null;
  readonly counters: DiffusionPartCounters;
}

interface Entry {
  session?: OrtSession;
  loading?: Promise<OrtSession>;
  inUse: number;
  lastUsedAt: number | null;
  lastLoadMs: number | null;
  /** A session was open before: the next load counts as a reload. */
  wasLoaded: boolean;
  counters: DiffusionPartCounters;
}

export interface DiffusionSessionsOptions {
  readonly ep?: OrtEp;
  readonly settings?: OrtSettings;
  readonly onChange?: () => void;
  readonly now?: () => number;
}

/**
 * The sessions of users' diffusion folders, opened lazily per folder and part from
 * `<folder>/<part>/model.onnx` (onnxruntime reads the external data beside it), held in use for
 * exactly one run as `ModelResidency` holds models. A folder's weights stay on disk, so offload
 * and release both drop the session; the counters tell them apart (offload: the part is expected
 * back soon; release: it was asked to go).
 *
 * @example const runner = new SessionRunner(models, new DiffusionSessions((id) => join(dir, id)));
 */
export class DiffusionSessions {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly folders: DiffusionFolderPaths,
    private readonly options: DiffusionSessionsOptions = {},
  ) {}

  get executionProvider(): OrtEp {
    return this.options.ep ?? 'cpu';
  }

  /** The part's session, opened if needed and marked in use until `release`. */
  async acquire(model: string, part: DiffusionPart): Promise<OrtSession> {
    const entry = this.entry(model, part);
    entry.inUse++;
    try {
      if (entry.session) return entry.session;
      entry.loading ??= this.load(model, part, entry).finally(() => (entry.loading = undefined));
      return await entry.loading;
    } catch (e) {
      entry.inUse--;
      throw e;
    }
  }

  release(model: string, part: DiffusionPart): void {
    const entry = this.entry(model, part);
    entry.inUse = Math.max(0, entry.inUse - 1);
    entry.lastUsedAt = this.now();
    this.changed();
  }

  /** Drops the sessions of the given folders (all when omitted); parts in use are skipped. */
  async apply(
    action: 'offload' | 'release',
    models?: readonly string[],
  ): Promise<{ affected: string[]; skippedInUse: string[] }> {
    const affected = new Set<string>();
    const skipped = new Set<string>();
    for (const [key, entry] of this.entries) {
      const model = key.slice(0, key.lastIndexOf('/'));
      if ((models && !models.includes(model)) || !entry.session) continue;
      if (entry.inUse > 0 || entry.loading) {
        skipped.add(model);
        continue;
      }
      await releaseSession(entry.session);
      entry.session = undefined;
      entry.counters[action === 'offload' ? 'offloads' : 'releases']++;
      if (action === 'release') entry.lastUsedAt = null;
      affected.add(model);
    }
    if (affected.size) this.changed();
    return { affected: [...affected], skippedInUse: [...skipped] };
  }

  /** Offloads every folder whose parts have all been idle for at least `idleMs`. */
  async offloadIdle(idleMs: number): Promise<string[]> {
    const now = this.now();
    const busy = new Set<string>();
    const idle = new Set<string>();
    for (const s of this.snapshot()) {
      if (s.residency !== 'device') continue;
      const quiet = s.inUse === 0 && s.lastUsedAt !== null && now - s.lastUsedAt >= idleMs;
      (quiet ? idle : busy).add(s.model);
    }
    const models = [...idle].filter((m) => !busy.has(m));
    return models.length ? (await this.apply('offload', models)).affected : [];
  }

  snapshot(): DiffusionPartSnapshot[] {
    return [...this.entries].map(([key, e]) => {
      const cut = key.lastIndexOf('/');
      return {
        model: key.slice(0, cut),
        part: key.slice(cut + 1) as DiffusionPart,
        residency: e.session ? 'device' : 'unloaded',
        inUse: e.inUse,
        lastUsedAt: e.lastUsedAt,
        lastLoadMs: e.lastLoadMs,
        counters: { ...e.counters },
      };
    });
  }

  async close(): Promise<void> {
    await this.apply('release');
  }

  private async load(model: string, part: DiffusionPart, entry: Entry): Promise<OrtSession> {
    const folder = this.folders(model);
    if (folder === undefined)
      throw new LoupeError('MODEL_UNAVAILABLE', `There is no diffusion model '${model}'`);
    const file = join(folder, part, 'model.onnx');
    if (!existsSync(file))
      throw new LoupeError('MODEL_UNAVAILABLE', `${model} has no ${part}/model.onnx`);
    const started = this.now();
    const session = await createSession(file, {
      ep: this.executionProvider,
      settings: this.options.settings ?? DEFAULT_SETTINGS,
    });
    entry.session = session;
    entry.lastLoadMs = this.now() - started;
    entry.counters[entry.wasLoaded ? 'reloads' : 'loads']++;
    entry.wasLoaded = true;
    this.changed();
    return session;
  }

  private entry(model: string, part: DiffusionPart): Entry {
    const key = `${model}/${part}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        inUse: 0,
        lastUsedAt: null,
        lastLoadMs: null,
        wasLoaded: false,
        counters: { loads: 0, offloads: 0, reloads: 0, releases: 0 },
      };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private changed(): void {
    this.options.onChange?.();
  }
}
