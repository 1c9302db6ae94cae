import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  LoupeError,
  diffusionMisfit,
  isDiffusionOp,
  type DiffusionCatalog,
  type DiffusionModelInfo,
  type FieldIssue,
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
export function foldersFor(catalog: DiffusionCatalog, op: string): DiffusionModelInfo[] {
  if (!isDiffusionOp(op)) return [];
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
  if (!steps.some((s) => isDiffusionOp(s.op))) return { steps, folders: {} };
  const catalog = await app.diffusionModels.list();
  const folders: Record<string, DiffusionFolderRef> = {};
  const issues: FieldIssue[] = [];
  const resolved = steps.map((step, i): Step => {
    const op: string = step.op;
    if (!isDiffusionOp(op)) return step;
    const params = step.params as Record<string, unknown>;
    const id = String(params.model);
    const folder = catalog.models.find((m) => m.id === id);
    const misfit = folder ? diffusionMisfit(op, folder) : unknownModel(catalog, id);
    if (misfit || folder?.status !== 'ready') {
      issues.push({ path: paramPath(i, 'model'), message: misfit ?? 'not usable' });
      return step;
    }
    const { status: _, ...info } = folder;
    folders[id] = { path: join(app.config.LOUPE_DIFFUSION_DIR, id), info };
    if (op !== 'generate') return step;
    // Text to image has no input to take a size from: the model's own is the default.
    return {
      ...step,
      params: {
        ...params,
        width: params.width ?? info.nativeSize.width,
        height: params.height ?? info.nativeSize.height,
      },
    } as Step;
  });
  if (issues.length)
    throw new LoupeError(
      'INVALID_PARAMS',
      `This edit names a diffusion model that cannot run it: ${issues.map((i) => i.message).join('; ')}`,
      issues,
    );
  return { steps: resolved, folders };
}
