import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { LoupeError } from '@loupe/shared';

/** Per-client (IP) limit on /api/*; health, readiness, static files and models are not counted. */
export default fp(
  async (app) => {
    await app.register(rateLimit, {
      global: false,
      max: app.config.LOUPE_RATE_LIMIT_MAX,
      timeWindow: app.config.LOUPE_RATE_LIMIT_WINDOW_S * 1000,
      errorResponseBuilder: (_req, ctx) =>
        new LoupeError('RATE_LIMITED', `More than ${ctx.max} requests in ${ctx.after}; slow down`),
    });
  },
  { name: 'rate-limit', dependencies: ['config'] },
);
