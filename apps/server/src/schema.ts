import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifySerializerCompiler } from 'fastify';
import { ResponseSerializationError, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Responses are checked against their shared schema and sent as what it parses to (keys it does
 * not know are dropped, as fast-json-stringify did). Not the library's `serializerCompiler`: it
 * uses `z.encode`, which throws on the one-way `.transform`s the shared schemas brand ids with
 * (`ManifestEntrySchema.id` in /api/models). Binary and SSE bodies are never serialised: their
 * schemas are for /docs only.
 */
export const serializerCompiler: FastifySerializerCompiler<z.ZodType> =
  ({ schema, method, url }) =>
  (data) => {
    const result = schema.safeParse(data);
    if (!result.success) throw new ResponseSerializationError(method, url, { cause: result.error });
    return JSON.stringify(result.data);
  };

/**
 * Route schemas are the shared zod objects themselves, through fastify-type-provider-zod: the
 * handler's `request` and `reply` types come from them (`ZodTypeProvider`), requests are parsed
 * by them (zod's own checks, refinements included, that a JSON Schema copy could not express)
 * and /docs is generated from them (`plugins/external/swagger.ts`). Set before any route.
 *
 * The library, not a provider of our own: tried on every route, it types and validates the
 * upload routes' body given per content type (Fastify picks the schema by media type, so
 * multipart is left to the route) and the responses with several content types. Two gaps are
 * bridged in a few lines each: its serializer (`serializerCompiler` here) and its OpenAPI
 * transform, which converts a body only when it is a schema itself, not a content map
 * (swagger.ts).
 *
 * @example
 * const routes: FastifyPluginAsyncZod = async (app) => {
 *   app.get('/api/jobs/:id', { schema: { params: IdParams, response: { 200: JobSchema } } },
 *     async (request) => toJob(find(request.params.id))); // params: { id: string }, returns Job
 * };
 */
export function useZodSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
}

/**
 * A binary body (an image file, from memory or streamed from disk). Fastify sends Buffers and
 * streams as they are, so this is never parsed: it types `reply.send` and shows in /docs as
 * `{ type: 'string', format: 'binary' }`.
 */
export const BinaryBody = z
  .custom<Buffer | Readable>(() => true)
  .meta({ type: 'string', format: 'binary' });

/**
 * JSON Schema (draft-07) from a shared zod object, for contracts that carry a schema as data:
 * the parameter schemas in the /api/ops catalog. Transforms (e.g. manifest ids) cannot be
 * represented and become `{}` (any).
 */
export function jsonSchema(
  schema: z.ZodType,
  io: 'input' | 'output' = 'output',
): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}
