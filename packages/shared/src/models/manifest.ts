import { z } from 'zod';
import { LICENSES, type LicenseId } from './licenses';
import { isModelId, type ModelId } from './model-ids';

export const MANIFEST_VERSION = 1;

const licenseIds = Object.keys(LICENSES) as [LicenseId, ...LicenseId[]];

/** One built model file: what `pnpm models` wrote to public/models, and where it came from. */
export const ManifestEntrySchema = z.object({
  id: z
    .string()
    .refine(isModelId, 'unknown model id')
    .transform((v) => v as ModelId),
  file: z.string().regex(/^[a-z0-9][a-z0-9._-]*\.onnx$/),
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  source: z.object({
    package: z.string(),
    version: z.string(),
    /** Files inside the package the weights were read from. */
    files: z.array(z.string()),
  }),
  license: z.enum(licenseIds),
  inputs: z.array(z.object({ name: z.string(), dims: z.array(z.union([z.number(), z.string()])) })),
  outputs: z.array(
    z.object({ name: z.string(), dims: z.array(z.union([z.number(), z.string()])) }),
  ),
  scale: z.number().positive(),
  /** Multiply-adds x2 per input pixel, counted from the graph (placement cost and FLOP floors). */
  flopsPerInputPixel: z.number().nonnegative(),
  recommendedTile: z.number().int().positive().optional(),
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

/**
 * public/models/manifest.json, written by tools/models and read by the server
 * (GET /api/models) and the web worker (sha256 verification before caching).
 */
export const ManifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  generatedAt: z.string(),
  /** True when built with --permissive-only: no copyleft weights included. */
  permissiveOnly: z.boolean(),
  models: z.array(ManifestEntrySchema),
});
export type ModelManifest = z.infer<typeof ManifestSchema>;

export function findManifestEntry(manifest: ModelManifest, id: ModelId): ManifestEntry | undefined {
  return manifest.models.find((m) => m.id === id);
}
