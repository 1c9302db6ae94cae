import type {
  ContextConfigDefault,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  COMPRESSION_LEVELS,
  ErrorBodySchema,
  JobSchema,
  type ErrorBody,
  type Job,
} from '@loupe/shared';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import type { jobByIdSchema } from '../src/routes/api/jobs';

type Schema = typeof jobByIdSchema;
const job: Job = { id: 'j1', state: 'queued', createdAt: '2025-01-01T00:00:00.000Z', attempts: 0 };
type JobRequest = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  RawRequestDefaultExpression,
  Schema,
  ZodTypeProvider
>;
type JobReply = FastifyReply<
  RouteGenericInterface,
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  ContextConfigDefault,
  Schema,
  ZodTypeProvider
>;

/**
 * Handler types come from the route's zod schemas (fastify-type-provider-zod), not from
 * generics written next to them: `pnpm typecheck` checks these, vitest runs the rest.
 */
describe('route handler types are the shared schemas', () => {
  it('GET /api/jobs/:id: params from JobIdParams, the reply a Job (200) or an ErrorBody (404)', () => {
    expectTypeOf<JobRequest['params']>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<JobReply['send']>().parameter(0).toEqualTypeOf<Job | ErrorBody>();
    // @ts-expect-error a job without its required fields is not a reply of this route
    const send = (reply: JobReply) => reply.send({ id: 'j1', state: 'queued' });
    expect(typeof send).toBe('function');
  });
});

/** What the types promise is also what the real app checks, in both directions. */
describe('route schemas at run time (the real app through inject)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ config: loadConfig({ LOUPE_EP: 'cpu' }), logger: false });
    // Two routes whose handlers stray from their response schema, as a bug would.
    await app.register(async (scope) => {
      const routes = scope.withTypeProvider<ZodTypeProvider>();
      const schema = { response: { 200: JobSchema } };
      // @ts-expect-error on purpose: `state` is not a job state, `attempts` is missing
      routes.get('/api/test/broken-job', { schema }, async () => ({ id: 'j1', state: 'lost' }));
      const withExtra = { ...job, callbackSecret: 's3cret' };
      routes.get('/api/test/job-with-extra', { schema }, async () => withExtra);
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('a path parameter that breaks JobIdParams is 400 naming params.id', async () => {
    const res = await app.inject({ url: `/api/jobs/${'a'.repeat(65)}` });
    expect(res.statusCode).toBe(400);
    const { error } = ErrorBodySchema.parse(res.json());
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.fields?.map((f) => f.path)).toEqual(['params.id']);
    expect(error.message).toMatch(/^Invalid request: params\.id/);
  });

  it('every unknown key of a JSON body is named at its own path', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: { 'content-type': 'application/json' },
      payload: { image_base64: 'AAAA', op: 'invert', x: 1, y: 2, quality: 0 },
    });
    expect(res.statusCode).toBe(400);
    const { error } = ErrorBodySchema.parse(res.json());
    expect(error.fields?.map((f) => f.path).sort()).toEqual(['body.quality', 'body.x', 'body.y']);
    expect(error.fields?.find((f) => f.path === 'body.x')?.message).toBe('unknown field');
  });

  it('the OpenAPI document offers `compression` on both upload routes as the shared closed set', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json() as {
      paths: Record<string, { post?: { requestBody?: { content: Record<string, unknown> } } }>;
    };
    for (const path of ['/api/edit', '/api/jobs']) {
      const body = doc.paths[path]?.post?.requestBody?.content['application/json'] as {
        schema: { properties: Record<string, { enum?: string[] }>; required?: string[] };
      };
      expect(body.schema.properties.compression?.enum, path).toEqual([...COMPRESSION_LEVELS]);
      expect(body.schema.required ?? [], path).not.toContain('compression');
    }
  });

  it('a reply that breaks its response schema is a 500 in the one error shape, not sent', async () => {
    const res = await app.inject({ url: '/api/test/broken-job' });
    expect(res.statusCode).toBe(500);
    const { error } = ErrorBodySchema.parse(res.json());
    expect(error.code).toBe('INTERNAL');
    expect(res.body).not.toContain('lost');
  });

  it('a reply is sent as its schema parses it: keys the schema does not know are dropped', async () => {
    const res = await app.inject({ url: '/api/test/job-with-extra' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(job);
  });
});
