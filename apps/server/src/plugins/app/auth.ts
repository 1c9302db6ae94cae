import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import { LoupeError } from '@loupe/shared';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Paths that need the token when LOUPE_API_TOKEN is set; probes, the web app and models stay open. */
const PROTECTED = /^\/(api|metrics)(\/|$|\?)/;

export default fp(
  async (app) => {
    const token = app.config.LOUPE_API_TOKEN;
    if (!token) return;
    const expected = digest(token);
    app.addHook('onRequest', async (request) => {
      if (!PROTECTED.test(request.url) || request.method === 'OPTIONS') return;
      const match = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '');
      // Compare digests so the comparison takes the same time whatever the length of the guess.
      if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
        throw new LoupeError('UNAUTHORIZED', 'Send Authorization: Bearer <LOUPE_API_TOKEN>');
      }
    });
  },
  { name: 'auth', dependencies: ['config'] },
);
