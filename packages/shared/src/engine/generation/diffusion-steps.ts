import { LoupeError } from '../../api/loupe-error';
import type { DiffusionCatalog } from '../../api/models';
import type { DiffusionModelInfo } from '../../models/diffusion-model';
import type { FieldIssue, Step } from '../../ops/pipeline';
import { diffusionMisfit, isGenerativeOp, type GenerativeOpId } from './assets';
import { resolveGenerationParams } from './resolve';

/** The catalog's ready folders that can run `op`, in the catalog's (folder name) order. */
export function foldersFor(catalog: DiffusionCatalog, op: GenerativeOpId): DiffusionModelInfo[] {
  return catalog.models.flatMap((m) => {
    if (m.status !== 'ready' || diffusionMisfit(op, m)) return [];
    const { status: _, ...info } = m;
    return [info];
  });
}

export interface DiffusionStepsResolved {
  /** The steps with what each folder decides filled in (size, seed, sampler). */
  readonly steps: Step[];
  /** The folders the steps name, by id. */
  readonly folders: ReadonlyMap<string, DiffusionModelInfo>;
}

export interface DiffusionStepsContext {
  /** Where the refusal points for step `index`'s `key` param (the caller's request shape). */
  paramPath(index: number, key: string): string;
  /** Why `id` is not in the catalog, in the caller's words (which setting or flag to change). */
  unknownModel(id: string): string;
  /** The refusal's message around the reasons (each reason is also a field issue). */
  message(reasons: string[]): string;
}

/**
 * Checks the diffusion folder each generative step names against `catalog` (exists, usable,
 * can do the op) and fixes what depends on it before anything runs, so that sizes, limits and
 * refusals work as for every other op and a retry makes the same picture. The server's routes
 * and the CLI's in-process runs both resolve through it. A refusal is INVALID_PARAMS naming
 * each step's `model` param.
 *
 * @example resolveDiffusionSteps(catalog, [{ op: 'generate', params }], ctx).steps[0].params.seed
 *   // a number, even when the request left it out
 */
export function resolveDiffusionSteps(
  catalog: DiffusionCatalog,
  steps: Step[],
  ctx: DiffusionStepsContext,
): DiffusionStepsResolved {
  const folders = new Map<string, DiffusionModelInfo>();
  if (!steps.some((s) => isGenerativeOp(s.op))) return { steps, folders };
  const issues: FieldIssue[] = [];
  const resolved = steps.map((step, i): Step => {
    if (!isGenerativeOp(step.op)) return step;
    const id = (step.params as { model: string }).model;
    const folder = catalog.models.find((m) => m.id === id);
    const problem = folder ? diffusionMisfit(step.op, folder) : ctx.unknownModel(id);
    if (problem || folder?.status !== 'ready') {
      issues.push({ path: ctx.paramPath(i, 'model'), message: problem ?? 'not usable' });
      return step;
    }
    const { status: _, ...info } = folder;
    folders.set(id, info);
    return resolveGenerationParams(step, info);
  });
  if (issues.length)
    throw new LoupeError('INVALID_PARAMS', ctx.message(issues.map((i) => i.message)), issues);
  return { steps: resolved, folders };
}
