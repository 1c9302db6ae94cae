import { join } from 'node:path';
import {
  foldersFor,
  LoupeError,
  isGenerativeOp,
  resolveDiffusionSteps,
  type DiffusionAssets,
  type DiffusionCatalog,
  type DiffusionModelInfo,
  type GenerativeOpId,
  type Step,
} from '@loupe/shared';
import { DiffusionSessions, readDiffusionAssets, type OrtEp } from '@loupe/runtime-node';
import { FileHashCache, scanDiffusionDirectory } from '@loupe/runtime-node/diffusion';

const CONFIGURE =
  'pass --diffusion DIR (or set LOUPE_DIFFUSION_DIR) to a folder of ONNX diffusers model folders (see docs/diffusion-models.md)';

/**
 * The diffusion folders of one directory for in-process runs, as the server's child holds them:
 * read once per run of the CLI, each folder's assets read on first use, part sessions on the
 * engine's EP.
 */
export class LocalDiffusion {
  private scanned: Promise<DiffusionCatalog> | undefined;
  private readonly infos = new Map<string, DiffusionModelInfo>();
  private readonly assets = new Map<string, Promise<DiffusionAssets>>();
  readonly pathOf = (id: string): string | undefined =>
    this.dir && this.infos.has(id) ? join(this.dir, id) : undefined;
  readonly sessions: DiffusionSessions;

  constructor(
    private readonly dir: string | undefined,
    ep: OrtEp,
  ) {
    this.sessions = new DiffusionSessions(this.pathOf, { ep });
  }

  catalog(): Promise<DiffusionCatalog> {
    this.scanned ??= this.dir
      ? scanDiffusionDirectory(this.dir, new FileHashCache())
      : Promise.resolve({ configured: false, scannedAt: null, models: [] });
    return this.scanned;
  }

  readonly assetsOf = (id: string): Promise<DiffusionAssets> => {
    const path = this.pathOf(id);
    const info = this.infos.get(id);
    if (!path || !info)
      return Promise.reject(
        new LoupeError('MODEL_UNAVAILABLE', `There is no diffusion model '${id}'`),
      );
    let assets = this.assets.get(id);
    if (!assets) {
      assets = readDiffusionAssets(path, info);
      this.assets.set(id, assets);
    }
    return assets;
  };

  async firstFor(op: GenerativeOpId): Promise<string> {
    const catalog = await this.catalog();
    const first = foldersFor(catalog, op)[0];
    if (first) return first.id;
    throw new LoupeError(
      'MODEL_UNAVAILABLE',
      catalog.configured
        ? `no diffusion model in ${this.dir} can do ${op} (${catalog.models.length} folders; \`loupe models --diffusion ${this.dir}\` says why)`
        : `no diffusion models are configured: ${CONFIGURE}`,
    );
  }

  /**
   * Checks each generative step's folder and fixes what depends on it (size, seed, sampler)
   * with the server's shared resolver. A refusal names the step's `model` param.
   */
  async resolve(steps: Step[]): Promise<Step[]> {
    if (!steps.some((s) => isGenerativeOp(s.op))) return steps;
    const catalog = await this.catalog();
    const resolved = resolveDiffusionSteps(catalog, steps, {
      paramPath: (i, key) => `steps.${i}.params.${key}`,
      unknownModel: (id) =>
        catalog.configured
          ? `no diffusion model '${id}' in ${this.dir}`
          : `no diffusion models are configured: ${CONFIGURE}`,
      message: (reasons) => reasons.join('; '),
    });
    for (const [id, info] of resolved.folders) this.infos.set(id, info);
    return resolved.steps;
  }

  close(): Promise<void> {
    return this.sessions.close();
  }
}
