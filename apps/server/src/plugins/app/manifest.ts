import fp from 'fastify-plugin';
import { ModelIntegrity, type IntegrityReport } from '../../inference/model-integrity';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * public/models/manifest.json and every file in it, size and sha256, re-checked on each
     * call (cheaply: only changed files are hashed again) so `pnpm models` needs no restart.
     */
    checkModels(): Promise<IntegrityReport>;
    modelIntegrity: ModelIntegrity;
  }
}

/** The models' integrity, hashed once at start in the background so the first /ready is quick. */
export default fp(
  async (app) => {
    const integrity = new ModelIntegrity(app.config.LOUPE_MODELS_DIR);
    app.decorate('modelIntegrity', integrity);
    app.decorate('checkModels', () => integrity.check());
    app.addHook('onReady', async () => {
      void integrity.check();
    });
  },
  { name: 'manifest', dependencies: ['config'] },
);
