import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { PROTOCOL_VERSION } from '@loupe/shared';
import { SERVER_VERSION } from '../../version';

/** OpenAPI generated from the route schemas (themselves generated from the shared zod objects), UI at /docs. */
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
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  },
  { name: 'swagger' },
);
