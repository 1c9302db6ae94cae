import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OPS, OP_IDS, OpsResponseSchema, type OpsResponse } from '@loupe/shared';
import { jsonSchema } from '../../schema';

/** Computed once: the catalog does not change while the server runs. */
function catalog(): OpsResponse {
  return {
    ops: OP_IDS.map((id) => {
      const op = OPS[id];
      // Ops with required params (a prompt, a diffusion folder) have no default run: no models.
      const defaults = op.params.safeParse({});
      return {
        id,
        title: op.title,
        description: op.description,
        category: op.category,
        progressUnit: op.progressUnit,
        inputs: { ...op.inputs },
        params: jsonSchema(op.params, 'input'),
        defaultModels: defaults.success
          ? [...(op.models as (p: unknown) => readonly string[])(defaults.data)]
          : [],
      };
    }),
  };
}

const ops: FastifyPluginAsyncZod = async (app) => {
  const body = catalog();
  app.get(
    '/api/ops',
    {
      schema: {
        summary: 'The operation catalog with JSON Schema parameters',
        response: { 200: OpsResponseSchema },
      },
    },
    async () => body,
  );
};

export default ops;
