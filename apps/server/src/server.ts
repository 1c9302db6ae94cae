// `pnpm start`: the web app, the models and the API on one port.
import { buildApp } from './app';
import { describeConfig, loadConfig } from './config';

const config = loadConfig();
const app = await buildApp({ config });
app.log.info({ config: describeConfig(config) }, 'Loupe configuration (env vars with defaults)');

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info(
      `${signal}: draining (no new jobs; up to ${config.LOUPE_DRAIN_TIMEOUT_S} s for jobs in flight to finish and be collected), then exiting`,
    );
    // Drain while still listening, so /health, /ready and the results stay reachable; then close.
    app
      .drain()
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (e: unknown) => {
          app.log.error(e, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}

try {
  await app.listen({ port: config.PORT, host: config.HOST });
} catch (e) {
  app.log.error(e);
  process.exit(1);
}
