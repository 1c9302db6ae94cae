import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import type { DiffusionCatalog } from '@loupe/shared';
// The subpath: it reads files only, and the HTTP process must never load onnxruntime-node.
import { FileHashCache, scanDiffusionDirectory } from '@loupe/runtime-node/diffusion';

declare module 'fastify' {
  interface FastifyInstance {
    diffusionModels: DiffusionModels;
  }
}

const NOT_CONFIGURED: DiffusionCatalog = { configured: false, scannedAt: null, models: [] };

/**
 * The folders of LOUPE_DIFFUSION_DIR as last read. Scans run one at a time; the hashes of
 * unchanged files are kept between them, so a rescan costs a stat per file and a read of the
 * graph headers.
 */
export class DiffusionModels {
  private readonly hashes = new FileHashCache();
  private latest: Promise<DiffusionCatalog>;

  constructor(
    private readonly dir: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.latest = Promise.resolve(NOT_CONFIGURED);
  }

  /** The last scan's result, waiting for it while it runs. */
  list(): Promise<DiffusionCatalog> {
    return this.latest;
  }

  /** Reads the directory again, after any scan already running. */
  rescan(): Promise<DiffusionCatalog> {
    if (!this.dir) return this.latest;
    const previous = this.latest;
    this.latest = previous.then(async () => {
      const catalog = await scanDiffusionDirectory(this.dir, this.hashes);
      this.report(catalog);
      return catalog;
    });
    return this.latest;
  }

  private report(catalog: DiffusionCatalog): void {
    if (catalog.problem) this.log.warn({ dir: this.dir }, catalog.problem);
    for (const m of catalog.models)
      if (m.status === 'unusable')
        this.log.warn({ model: m.id }, `diffusion folder ${m.id} is not usable: ${m.problem}`);
    const ready = catalog.models.filter((m) => m.status === 'ready').length;
    this.log.info(
      { dir: this.dir, ready, folders: catalog.models.length },
      'diffusion folders read',
    );
  }
}

/** LOUPE_DIFFUSION_DIR, read in the background once the server is ready so start-up never waits for hashing. */
export default fp(
  async (app) => {
    const models = new DiffusionModels(app.config.LOUPE_DIFFUSION_DIR, app.log);
    app.decorate('diffusionModels', models);
    app.addHook('onReady', async () => {
      void models.rescan();
    });
  },
  { name: 'diffusion-models', dependencies: ['config'] },
);
