import { z } from 'zod';
import { OP_IDS } from '../ops/op-ids';
import { OP_CATEGORIES, PROGRESS_UNITS } from '../ops/op-spec';

/**
 * `GET /api/ops`: the catalog as data, each op's parameters as JSON Schema (input side: ranges,
 * defaults and the `x-*` UI hints from `param()`), so any client can build the parameter panel.
 */
export const OpsResponseSchema = z.object({
  ops: z.array(
    z.object({
      id: z.enum(OP_IDS),
      title: z.string(),
      description: z.string(),
      category: z.enum(OP_CATEGORIES),
      progressUnit: z.enum(PROGRESS_UNITS),
      /** What it consumes: `image: 'none'` ops (generate) are sent with no image. */
      inputs: z
        .object({
          image: z.enum(['required', 'optional', 'none']),
          mask: z.enum(['required', 'optional']).optional(),
          prompt: z.enum(['required', 'optional']).optional(),
        })
        .optional(),
      params: z.record(z.string(), z.unknown()),
      /** Models the op uses with its default parameters. */
      defaultModels: z.array(z.string()),
    }),
  ),
});
export type OpsResponse = z.infer<typeof OpsResponseSchema>;
