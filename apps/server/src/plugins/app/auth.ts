import { createHash, timingSafeEqual } from 'node:crypto';
import type { RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { LoupeError } from '@loupe/shared';
import { RetryLaterError } from '../../errors/retry-later';
import { FailureWindow } from '../../security/failure-window';

/** Who may call a route when LOUPE_API_TOKEN is set. */
export type RouteAccess = 'token' | 'public';

export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Overrides the default derived from the route's URL pattern (see `defaultAccess`). */
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** Every route registered after this plugin, with the access it was given: the route-table tests read it. */
    routeTable: readonly RouteEntry[];
  }
}

/**
 * The API (with /generate, which runs jobs) and the metrics need the token; probes, docs, the web app and the models stay open.
 * Decided from the route pattern the router matched, which a client cannot spell differently.
 */
export function defaultAccess(url: string): RouteAccess {
  return /^\/(api|metrics|mcp|generate|sdapi)(\/|$)/.test(url) ? 'token' : 'public';
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Bearer-token auth decided on the route the router matched, never on the request's URL string:
 * `/%61pi/jobs` is routed to `/api/jobs` and so needs the token like `/api/jobs`. Unmatched
 * paths reach the not-found handler, which reveals nothing. Wrong credentials count per client
 * (LOUPE_AUTH_FAIL_MAX per LOUPE_RATE_LIMIT_WINDOW_S): past that every protected route answers
 * 429 without looking at the token, so guessing gets no signal.
 */
export default fp(
  async (app) => {
    const { LOUPE_API_TOKEN: token, LOUPE_AUTH_FAIL_MAX, LOUPE_RATE_LIMIT_WINDOW_S } = app.config;
    const table: RouteEntry[] = [];
    app.decorate('routeTable', table);
    app.addHook('onRoute', (route: RouteOptions) => {
      const access = route.config?.access ?? defaultAccess(route.url);
      route.config = { ...route.config, access };
      for (const method of [route.method].flat()) table.push({ method, url: route.url, access });
    });
    if (!token) return;

    const expected = digest(token);
    const failures = new FailureWindow(LOUPE_AUTH_FAIL_MAX, LOUPE_RATE_LIMIT_WINDOW_S * 1000);
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config.access !== 'token' || request.method === 'OPTIONS') return;
      const blocked = failures.blockedFor(request.ip);
      if (blocked > 0)
        throw new RetryLaterError(
          'RATE_LIMITED',
          blocked,
          `Too many requests with a wrong or missing token; retry in ${blocked} s`,
        );
      const presented = request.headers.authorization;
      const match = /^Bearer (.+)$/i.exec(presented ?? '');
      // Compare digests so the comparison takes the same time whatever the length of the guess.
      if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
        // A missing header is a client not configured yet (the web app before its token is
        // entered), not a guess: only presented credentials count towards the block.
        if (presented !== undefined) failures.record(request.ip);
        throw new LoupeError('UNAUTHORIZED', 'Send Authorization: Bearer <LOUPE_API_TOKEN>');
      }
    });
  },
  { name: 'auth', dependencies: ['config'] },
);
