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

/**
 * The folders of LOUPE_DIFFUSION_DIR as last read. Scans run one at a time, and requests that
 * arrive while one waits share it (it starts after them, so it sees what they added). The
 * hashes of unchanged files are kept between scans: a rescan costs a stat per file and a read
 * of the graph headers; only the first scan of a large folder reads every byte.
 */
export class DiffusionModels {
  private readonly hashes = new FileHashCache();
  private latest: Promise<DiffusionCatalog>;
  private waiting: Promise<DiffusionCatalog> | null = null;

  constructor(
    private readonly dir: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.latest = Promise.resolve({ configured: dir !== '', scannedAt: null, models: [] });
  }

  /** The last scan's result, waiting for the one in progress (the first may hash gigabytes). */
  list(): Promise<DiffusionCatalog> {
    return this.latest;
  }

  /** Reads the directory again, once any scan in progress is done. */
  rescan(): Promise<DiffusionCatalog> {
    if (!this.dir) return this.latest;
    if (this.waiting) return this.waiting;
    const next = this.latest.then(() => {
      this.waiting = null;
      return this.scan();
    });
    this.waiting = next;
    this.latest = next;
    return next;
  }

  private async scan(): Promise<DiffusionCatalog> {
    let catalog: DiffusionCatalog;
    try {
      catalog = await scanDiffusionDirectory(this.dir, this.hashes);
    } catch (e) {
      // Inspection reports problems instead of throwing; this keeps the listing alive if it ever does.
      catalog = {
        configured: true,
        problem: `Reading LOUPE_DIFFUSION_DIR failed: ${(e as Error).message}`,
        scannedAt: new Date().toISOString(),
        models: [],
      };
    }
    this.report(catalog);
    return catalog;
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
