import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OPS, OP_IDS, OpsResponseSchema, opDefaults, type OpsResponse } from '@loupe/shared';
import { jsonSchema } from '../../schema';

/** Computed once: the catalog does not change while the server runs. */
function catalog(): OpsResponse {
  return {
    ops: OP_IDS.map((id) => {
      const op = OPS[id];
      // Generative ops have required fields (model, prompt): their defaults alone do not parse.
      const defaults = opDefaults(id);
      return {
        id,
        title: op.title,
        description: op.description,
        category: op.category,
        progressUnit: op.progressUnit,
        inputs: { ...op.inputs },
        params: jsonSchema(op.params, 'input'),
        defaultModels: [...(op.models as (p: unknown) => readonly string[])(defaults)],
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
