import {
  LoupeError,
  type DiffusionAssets,
  type ModelResidencySnapshot,
  type ResidencyAction,
} from '@loupe/shared';
import { DiffusionSessions, readDiffusionAssets, type OrtEp } from '@loupe/runtime-node';
import type { DiffusionFolderRef } from './protocol';

/** How a diffusion folder is named among the built-in models in residency reports. */
export const diffusionResidencyId = (folder: string) => `diffusion/${folder}`;

/**
 * A child's diffusion folders: the ones its runs named (path and inspection, from the HTTP
 * process), their assets read once per folder version, and their part sessions. A folder that
 * changed on disk since (another sha256) has its sessions and assets dropped before it runs again.
 */
export class ChildDiffusion {
  private readonly folders = new Map<string, DiffusionFolderRef>();
  readonly pathOf = (id: string): string | undefined => this.folders.get(id)?.path;
  private readonly assets = new Map<string, Promise<DiffusionAssets>>();
  readonly sessions: DiffusionSessions;

  constructor(ep: OrtEp, onChange: () => void) {
    this.sessions = new DiffusionSessions(this.pathOf, { ep, onChange });
  }

  async use(refs: Readonly<Record<string, DiffusionFolderRef>>): Promise<void> {
    for (const [id, ref] of Object.entries(refs)) {
      const known = this.folders.get(id);
      if (known && (known.path !== ref.path || known.info.sha256 !== ref.info.sha256)) {
        await this.sessions.apply('release', [id]);
        this.assets.delete(id);
      }
      this.folders.set(id, ref);
    }
  }

  /** The engine's `diffusionAssets`: what a folder holds besides its graphs. */
  readonly assetsOf = (id: string): Promise<DiffusionAssets> => {
    const ref = this.folders.get(id);
    if (!ref)
      return Promise.reject(
        new LoupeError('MODEL_UNAVAILABLE', `There is no diffusion model '${id}'`),
      );
    let assets = this.assets.get(id);
    if (!assets) {
      assets = readDiffusionAssets(ref.path, ref.info);
      // A failed read is not kept: the next run tries again (the folder may have been fixed).
      assets.catch(() => this.assets.delete(id));
      this.assets.set(id, assets);
    }
    return assets;
  };

  /** Residency actions name folders by `diffusionResidencyId`; none named: every folder. */
  async apply(action: ResidencyAction, models?: readonly string[]) {
    const ids = models?.flatMap((m) =>
      m.startsWith('diffusion/') ? [m.slice('diffusion/'.length)] : [],
    );
    if (ids && !ids.length) return { affected: [], skippedInUse: [] };
    const result = await this.sessions.apply(action, ids);
    return {
      affected: result.affected.map(diffusionResidencyId),
      skippedInUse: result.skippedInUse.map(diffusionResidencyId),
    };
  }

  /**
   * One entry per folder, as one model: on the device while any part is, counters as the part
   * counted most (every run loads its text encoder, UNet and VAE decoder together), the load
   * time as the sum of its parts' last loads.
   */
  snapshot(): ModelResidencySnapshot[] {
    const byFolder = new Map<string, ModelResidencySnapshot>();
    for (const part of this.sessions.snapshot()) {
      const id = diffusionResidencyId(part.model);
      const entry = byFolder.get(id) ?? {
        id,
        residency: 'unloaded' as const,
        inUse: 0,
        lastUsedAt: null,
        counters: { loads: 0, offloads: 0, reloads: 0, releases: 0 },
        timings: { lastLoadMs: null, lastReloadMs: null },
      };
      if (part.residency === 'device') entry.residency = 'device';
      entry.inUse += part.inUse;
      entry.lastUsedAt = Math.max(entry.lastUsedAt ?? 0, part.lastUsedAt ?? 0) || null;
      for (const k of ['loads', 'offloads', 'reloads', 'releases'] as const)
        entry.counters[k] = Math.max(entry.counters[k], part.counters[k]);
      if (part.lastLoadMs !== null) {
        const key = part.counters.reloads > 0 ? 'lastReloadMs' : 'lastLoadMs';
        entry.timings![key] = (entry.timings![key] ?? 0) + part.lastLoadMs;
      }
      (entry.parts ??= []).push({
        part: part.part,
        residency: part.residency,
        bytes: this.folders.get(part.model)?.info.parts[part.part]?.bytes ?? 0,
        inUse: part.inUse,
        lastLoadMs: part.lastLoadMs,
      });
      byFolder.set(id, entry);
    }
    return [...byFolder.values()];
  }
}
