import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { PROTOCOL_VERSION } from '@loupe/shared';
import { SERVER_VERSION } from '../../version';

type ContentMap = { content: Record<string, { schema: unknown }> };
const isContentMap = (body: unknown): body is ContentMap =>
  typeof body === 'object' && body !== null && 'content' in body;

/**
 * The library's transform turns the route's zod schemas into OpenAPI, except a body given per
 * content type: the upload routes describe only their JSON body (multipart is read by the
 * route itself), so each content type's schema goes through the same transform on its own.
 */
const transform: SwaggerTransform = (document) => {
  const { body, ...schema } = document.schema ?? {};
  const out = jsonSchemaTransform({ ...document, schema });
  if (body === undefined || out.schema.hide) return out;
  const convert = (one: unknown) =>
    jsonSchemaTransform({ ...document, schema: { body: one } }).schema.body;
  const converted = isContentMap(body)
    ? {
        content: Object.fromEntries(
          Object.entries(body.content).map(([type, { schema: one }]) => [
            type,
            { schema: convert(one) },
          ]),
        ),
      }
    : convert(body);
  return { ...out, schema: { ...out.schema, body: converted } };
};

/** OpenAPI generated from the route schemas (the shared zod objects themselves), UI at /docs. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Loupe API',
          version: SERVER_VERSION,
          description: `AI image editing: the same operations and models as the browser. Protocol ${PROTOCOL_VERSION}.`,
        },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      },
      transform,
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  },
  { name: 'swagger' },
);
