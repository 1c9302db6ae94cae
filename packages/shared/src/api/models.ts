import { z } from 'zod';
import { ManifestEntrySchema } from '../models/manifest';

export const RESIDENCIES = ['unloaded', 'ram', 'device'] as const;
export type Residency = (typeof RESIDENCIES)[number];

export const ResidencyCountersSchema = z.object({
  loads: z.number().int(),
  offloads: z.number().int(),
  reloads: z.number().int(),
  releases: z.number().int(),
});

/** A model as the server holds it: where it lives now and what happened to it. */
export const ModelResidencySchema = z.object({
  id: z.string(),
  residency: z.enum(RESIDENCIES),
  /** Seconds since its last use while it is held (on the device or in RAM); null once released or never used. */
  idleSeconds: z.number().nullable(),
  inUse: z.number().int().nonnegative(),
  counters: ResidencyCountersSchema,
});
export type ModelResidency = z.infer<typeof ModelResidencySchema>;

export const ModelsResponseSchema = z.object({
  models: z.array(
    ManifestEntrySchema.extend({
      title: z.string(),
      copyleft: z.boolean(),
      residency: ModelResidencySchema.omit({ id: true }),
      /** Set when the file failed verification: why, and the fix. */
      problem: z.string().optional(),
    }),
  ),
});
export type ModelsResponse = z.infer<typeof ModelsResponseSchema>;
