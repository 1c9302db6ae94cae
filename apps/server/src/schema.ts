import { z } from 'zod';

/**
 * JSON Schema (draft-07, what Fastify's Ajv and @fastify/swagger speak) from the shared zod
 * objects, so validation, serialisation and /docs all come from the contract the web app imports.
 * Transforms (e.g. manifest ids) cannot be represented and become `{}` (any).
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
