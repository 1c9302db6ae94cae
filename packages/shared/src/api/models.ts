import { z } from 'zod';
import { DIFFUSION_PARTS, DiffusionFolderSchema } from '../models/diffusion-model';
import { ManifestEntrySchema } from '../models/manifest';

export const RESIDENCIES = ['unloaded', 'ram', 'device'] as const;
export type Residency = (typeof RESIDENCIES)[number];

export const ResidencyCountersSchema = z.object({
  loads: z.number().int(),
  offloads: z.number().int(),
  reloads: z.number().int(),
  releases: z.number().int(),
});

/**
 * One part of a diffusion pipeline (its sessions load lazily, part by part): where it is, and the
 * bytes of its weights (graph and external data), which is what it holds while on the device.
 */
export const ModelPartResidencySchema = z.object({
  part: z.enum(DIFFUSION_PARTS),
  residency: z.enum(RESIDENCIES),
  bytes: z.number().int().nonnegative(),
  inUse: z.number().int().nonnegative(),
  /** Milliseconds its last (re)load took; null until one happened. With several children, the slowest. */
  lastLoadMs: z.number().nonnegative().nullable(),
});
export type ModelPartResidency = z.infer<typeof ModelPartResidencySchema>;

/** A model as the server holds it: where it lives now and what happened to it. */
export const ModelResidencySchema = z.object({
  id: z.string(),
  residency: z.enum(RESIDENCIES),
  /** Seconds since its last use while it is held (on the device or in RAM); null once released or never used. */
  idleSeconds: z.number().nullable(),
  inUse: z.number().int().nonnegative(),
  counters: ResidencyCountersSchema,
  /**
   * How long the last load (from disk: read, verify, session) and the last reload (from RAM:
   * session only) took, in ms; null until one happened. With several children, the slowest.
   */
  timings: z
    .object({
      lastLoadMs: z.number().nonnegative().nullable(),
      lastReloadMs: z.number().nonnegative().nullable(),
    })
    .optional(),
  /** A diffusion pipeline's parts, each with its memory; absent for single-graph models. */
  parts: z.array(ModelPartResidencySchema).optional(),
});
export type ModelResidency = z.infer<typeof ModelResidencySchema>;

/**
 * The diffusion folders of LOUPE_DIFFUSION_DIR as last read (at start or on
 * POST /api/models/rescan). `problem` is set when the directory itself cannot be read.
 */
export const DiffusionCatalogSchema = z.object({
  configured: z.boolean(),
  problem: z.string().optional(),
  /** When the directory was last read (ISO 8601); null before the first read or when unset. */
  scannedAt: z.string().nullable(),
  models: z.array(DiffusionFolderSchema),
});
export type DiffusionCatalog = z.infer<typeof DiffusionCatalogSchema>;

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
  /**
   * Catalog models this install did not build (a MAXIM subset, a --permissive-only build), each
   * with how to add it: the editor lists their choices disabled with this text.
   */
  notInstalled: z.array(
    z.object({ id: z.string(), title: z.string(), family: z.string(), install: z.string() }),
  ),
  /** User-supplied diffusion folders, beside the built-in models above. */
  diffusion: DiffusionCatalogSchema,
});
export type ModelsResponse = z.infer<typeof ModelsResponseSchema>;

/** POST /api/models/rescan: LOUPE_DIFFUSION_DIR read again. */
export const RescanResponseSchema = z.object({ diffusion: DiffusionCatalogSchema });
export type RescanResponse = z.infer<typeof RescanResponseSchema>;
