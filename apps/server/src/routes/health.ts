import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthSchema, PROTOCOL_VERSION, ReadySchema, VersionSchema } from '@loupe/shared';
import { SERVER_VERSION } from '../version';

/**
 * Probes and telemetry. None of them touches a child or a lock: they must answer in
 * milliseconds while inference runs (that is what the children are for).
 */
const health: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    { schema: { summary: 'Liveness', response: { 200: HealthSchema } } },
    async () => ({ status: 'ok' as const, uptimeSeconds: process.uptime() }),
  );

  app.get(
    '/ready',
    {
      schema: {
        summary:
          'Readiness: manifest valid and every model file intact (sha256), workers up, EP initialised, device healthy, not draining',
        response: { 200: ReadySchema, 503: ReadySchema },
      },
    },
    async (_request, reply) => {
      const { supervisor, jobs } = app;
      const models = await app.checkModels();
      const problems = models.ok ? models.problems : [];
      const checks = {
        manifest: models.ok && problems.length === 0,
        workers: supervisor.allUp,
        ep: Boolean(supervisor.firstReady?.choice),
        draining: jobs.isDraining,
        deviceHealthy: supervisor.deviceLost === undefined,
      };
      const ready =
        checks.manifest && checks.workers && checks.ep && !checks.draining && checks.deviceHealthy;
      const reason = !models.ok
        ? models.reason
        : problems.length
          ? `unusable models (their operations answer MODEL_UNAVAILABLE): ${problems.map((p) => `${p.id}: ${p.reason}`).join('; ')}`
          : !checks.workers
            ? (supervisor.incompatibility ?? 'inference workers starting or restarting')
            : checks.draining
              ? 'shutting down'
              : supervisor.deviceLost
                ? `device error, waiting for a probe to pass: ${supervisor.deviceLost}`
                : undefined;
      return reply.status(ready ? 200 : 503).send({
        ready,
        checks,
        ...(reason ? { reason } : {}),
        ...(problems.length ? { unavailableModels: problems.map((p) => p.id) } : {}),
      });
    },
  );

  app.get(
    '/version',
    {
      schema: {
        summary: 'Versions of the server, protocol and runtimes',
        response: { 200: VersionSchema },
      },
    },
    async () => ({
      name: 'loupe' as const,
      version: SERVER_VERSION,
      protocol: PROTOCOL_VERSION,
      onnxruntime: app.supervisor.firstReady?.onnxruntime ?? 'unknown (workers starting)',
      node: process.version,
    }),
  );

  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', hide: false } },
    async (_request, reply) => {
      const { registry } = app.metrics;
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
};

export default health;
