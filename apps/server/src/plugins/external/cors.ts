import cors from '@fastify/cors';
import fp from 'fastify-plugin';

/** LOUPE_CORS_ORIGINS: empty = same-origin only (the web app is served from this port), `*` = any. */
export default fp(
  async (app) => {
    const origins = app.config.LOUPE_CORS_ORIGINS;
    await app.register(cors, {
      origin: origins.includes('*') ? true : origins.length ? origins : false,
      methods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'last-event-id'],
      exposedHeaders: ['x-loupe-metadata', 'retry-after', 'x-request-id'],
      maxAge: 600,
    });
  },
  { name: 'cors', dependencies: ['config'] },
);
