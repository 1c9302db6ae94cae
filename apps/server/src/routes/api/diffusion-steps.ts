import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  isGenerativeOp,
  resolveDiffusionSteps as resolveSteps,
  type DiffusionCatalog,
  type Step,
} from '@loupe/shared';
import type { DiffusionFolderRef } from '../../inference/protocol';

/** Said wherever a diffusion model is needed and none is configured. */
export const CONFIGURE_DIFFUSION =
  'set LOUPE_DIFFUSION_DIR to a folder of ONNX diffusers model folders (see docs/diffusion-models.md)';

export interface ResolvedDiffusion {
  /** The steps with what the folder decides filled in (generate's omitted width/height: its native size). */
  steps: Step[];
  /** The folders the steps name, by id, for the child. */
  folders: Record<string, DiffusionFolderRef>;
}

function unknownModel(catalog: DiffusionCatalog, id: string): string {
  if (!catalog.configured) return `no diffusion models are configured: ${CONFIGURE_DIFFUSION}`;
  const known = catalog.models.map((m) => m.id);
  return known.length
    ? `no diffusion model '${id}' (LOUPE_DIFFUSION_DIR has ${known.join(', ')})`
    : `no diffusion model '${id}': LOUPE_DIFFUSION_DIR has no model folders${catalog.problem ? ` (${catalog.problem})` : ''}`;
}

/**
 * The shared `resolveDiffusionSteps` over the catalog as last scanned, with the folders' paths
 * for the child: run before the job is queued. A refusal is a 400 naming the step's `model` (or
 * `width`/`height`) param at `paramPath(i, key)`.
 */
export async function resolveDiffusionSteps(
  app: FastifyInstance,
  steps: Step[],
  paramPath: (index: number, key: string) => string,
): Promise<ResolvedDiffusion> {
  if (!steps.some((s) => isGenerativeOp(s.op))) return { steps, folders: {} };
  const catalog = await app.diffusionModels.list();
  const resolved = resolveSteps(catalog, steps, {
    paramPath,
    unknownModel: (id) => unknownModel(catalog, id),
    message: (reasons) =>
      `This edit names a diffusion model that cannot run it: ${reasons.join('; ')}`,
  });
  const folders: Record<string, DiffusionFolderRef> = {};
  for (const [id, info] of resolved.folders)
    folders[id] = { path: join(app.config.LOUPE_DIFFUSION_DIR, id), info };
  return { steps: resolved.steps, folders };
}
