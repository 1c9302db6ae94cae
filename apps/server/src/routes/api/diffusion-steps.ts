import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  diffusionMisfit,
  LoupeError,
  isGenerativeOp,
  resolveGenerationParams,
  type DiffusionCatalog,
  type DiffusionModelInfo,
  type FieldIssue,
  type GenerativeOpId,
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

/** The catalog's ready folders that can run `op`, in the catalog's (folder name) order. */
export function foldersFor(catalog: DiffusionCatalog, op: GenerativeOpId): DiffusionModelInfo[] {
  return catalog.models.flatMap((m) =>
    m.status === 'ready' && !diffusionMisfit(op, m) ? [m] : [],
  );
}

function unknownModel(catalog: DiffusionCatalog, id: string): string {
  if (!catalog.configured) return `no diffusion models are configured: ${CONFIGURE_DIFFUSION}`;
  const known = catalog.models.map((m) => m.id);
  return known.length
    ? `no diffusion model '${id}' (LOUPE_DIFFUSION_DIR has ${known.join(', ')})`
    : `no diffusion model '${id}': LOUPE_DIFFUSION_DIR has no model folders${catalog.problem ? ` (${catalog.problem})` : ''}`;
}

/**
 * Checks the diffusion folder each generative step names against the catalog as last scanned
 * (exists, usable, can do the op) and resolves what depends on it before the job is queued, so
 * that sizes, limits and refusals work as for every other op. A refusal is a 400 naming the
 * step's `model` (or `width`/`height`) param at `paramPath(i, key)`.
 */
export async function resolveDiffusionSteps(
  app: FastifyInstance,
  steps: Step[],
  paramPath: (index: number, key: string) => string,
): Promise<ResolvedDiffusion> {
  if (!steps.some((s) => isGenerativeOp(s.op))) return { steps, folders: {} };
  const catalog = await app.diffusionModels.list();
  const folders: Record<string, DiffusionFolderRef> = {};
  const issues: FieldIssue[] = [];
  const resolved = steps.map((step, i): Step => {
    if (!isGenerativeOp(step.op)) return step;
    const id = (step.params as { model: string }).model;
    const folder = catalog.models.find((m) => m.id === id);
    const problem = folder ? diffusionMisfit(step.op, folder) : unknownModel(catalog, id);
    if (problem || folder?.status !== 'ready') {
      issues.push({ path: paramPath(i, 'model'), message: problem ?? 'not usable' });
      return step;
    }
    const { status: _, ...info } = folder;
    folders[id] = { path: join(app.config.LOUPE_DIFFUSION_DIR, id), info };
    // Size (text to image), seed and sampler fixed now: limits apply to the real size, and a
    // retry after a crash makes the same picture.
    return resolveGenerationParams(step, info);
  });
  if (issues.length)
    throw new LoupeError(
      'INVALID_PARAMS',
      `This edit names a diffusion model that cannot run it: ${issues.map((i) => i.message).join('; ')}`,
      issues,
    );
  return { steps: resolved, folders };
}
