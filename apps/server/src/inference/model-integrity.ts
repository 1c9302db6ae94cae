import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { installHint, type ManifestEntry, type ModelId, type ModelManifest } from '@loupe/shared';
// The subpath, not the package root: the HTTP process must never load onnxruntime-node.
import { readManifest } from '@loupe/runtime-node/model-files';

/** Why a model cannot be used right now, in words that include the fix. */
export interface ModelProblem {
  id: ModelId;
  file: string;
  reason: string;
  /** Not in the manifest: this install did not build it (a request for it is the caller's 400). */
  notBuilt?: true;
}

export type IntegrityReport =
  | { ok: true; manifest: ModelManifest; problems: readonly ModelProblem[] }
  | { ok: false; reason: string };

interface Verdict {
  /** size, mtime and inode when hashed: a rebuilt file (`pnpm models`) gets hashed again. */
  key: string;
  reason: string | undefined;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  // Streamed in 1 MiB reads so the HTTP process never holds a model and stays responsive.
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Every model file checked against the manifest's size and sha256 in the HTTP process, so a
 * corrupted file of the right size is caught before a job needs it (the child checks again
 * before it loads). Verdicts are cached per file state: each /ready probe costs a stat per
 * model, and only a changed file is hashed again.
 */
export class ModelIntegrity {
  private readonly verdicts = new Map<string, Verdict>();
  private readonly inFlight = new Map<string, Promise<Verdict>>();
  /** The parsed manifest and the file state it was read at: uploads check it on every request. */
  private manifest: { key: string; value: ModelManifest } | undefined;

  constructor(private readonly dir: string) {}

  /** The manifest as it was last read (undefined before the first read, or if it never parsed). */
  get lastManifest(): ModelManifest | undefined {
    return this.manifest?.value;
  }

  /** manifest.json, parsed again only when its size, mtime or inode changed (`pnpm models`). */
  private async readManifest(): Promise<ModelManifest> {
    const s = await stat(join(this.dir, 'manifest.json')).catch(() => undefined);
    const key = s ? `${s.size}:${s.mtimeMs}:${s.ino}` : 'missing';
    if (this.manifest?.key === key) return this.manifest.value;
    const value = await readManifest(this.dir);
    this.manifest = { key, value };
    return value;
  }

  async check(): Promise<IntegrityReport> {
    let manifest: ModelManifest;
    try {
      manifest = await this.readManifest();
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
    const verdicts = await Promise.all(manifest.models.map((m) => this.verify(m)));
    const problems = manifest.models.flatMap((m, i) => {
      const reason = verdicts[i]!.reason;
      return reason ? [{ id: m.id, file: m.file, reason }] : [];
    });
    return { ok: true, manifest, problems };
  }

  /**
   * The problems of just these models (admission checks the models a pipeline needs): on the
   * upload path, so only their files are looked at.
   */
  async problemsOf(ids: readonly ModelId[]): Promise<ModelProblem[]> {
    if (!ids.length) return [];
    let manifest: ModelManifest;
    try {
      manifest = await this.readManifest();
    } catch (e) {
      return ids.map((id) => ({ id, file: '', reason: (e as Error).message }));
    }
    const entries = manifest.models.filter((m) => ids.includes(m.id));
    const built = new Set(entries.map((m) => m.id));
    const notBuilt = ids
      .filter((id) => !built.has(id))
      .map((id) => ({
        id,
        file: '',
        reason: `model ${id} is not built${manifest.permissiveOnly ? ' (this is a permissive-only build)' : ''}; ${installHint(id)}`,
        notBuilt: true as const,
      }));
    const verdicts = await Promise.all(entries.map((m) => this.verify(m)));
    const broken = entries.flatMap((m, i) => {
      const reason = verdicts[i]!.reason;
      return reason ? [{ id: m.id, file: m.file, reason }] : [];
    });
    return [...notBuilt, ...broken];
  }

  /** A child found these models' bytes bad: hash them again on the next check even if their stat is unchanged. */
  invalidate(ids: readonly ModelId[]): void {
    for (const id of ids) this.verdicts.delete(id);
  }

  private async verify(entry: ManifestEntry): Promise<Verdict> {
    const path = join(this.dir, entry.file);
    const s = await stat(path).catch(() => undefined);
    if (!s)
      return {
        key: 'missing',
        reason: `model file ${entry.file} is missing; run \`pnpm models\``,
      };
    const key = `${s.size}:${s.mtimeMs}:${s.ino}`;
    const cached = this.verdicts.get(entry.id);
    if (cached?.key === key) return cached;
    if (s.size !== entry.bytes)
      return this.remember(entry.id, {
        key,
        reason: `model file ${entry.file} has ${s.size} bytes, the manifest says ${entry.bytes}; run \`pnpm models\``,
      });
    const running = this.inFlight.get(entry.id);
    if (running) return running;
    const hashing = sha256File(path)
      .then(
        (actual): Verdict => ({
          key,
          reason:
            actual === entry.sha256
              ? undefined
              : `model file ${entry.file} is corrupted: sha256 ${actual}, the manifest says ${entry.sha256}; run \`pnpm models\``,
        }),
        (e: Error): Verdict => ({ key, reason: `model file ${entry.file}: ${e.message}` }),
      )
      .then((v) => this.remember(entry.id, v))
      .finally(() => this.inFlight.delete(entry.id));
    this.inFlight.set(entry.id, hashing);
    return hashing;
  }

  private remember(id: ModelId, verdict: Verdict): Verdict {
    this.verdicts.set(id, verdict);
    return verdict;
  }
}
