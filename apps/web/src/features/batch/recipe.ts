import type { Step } from '@loupe/shared';
import type { BatchItem } from './batch-store';

/** A step's identity: its op and every parameter, whatever order the keys were written in. */
function stepKey(step: Step): string {
  const params = step.params as Record<string, unknown>;
  return JSON.stringify([
    step.op,
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  ]);
}

export function sameSteps(a: readonly Step[], b: readonly Step[]): boolean {
  return a.length === b.length && a.every((s, i) => stepKey(s) === stepKey(b[i]!));
}

type Applied = Pick<BatchItem, 'recipeBase' | 'recipeApplied'>;

/** Whether the last Apply's steps are still the last steps `applied` shows, untouched. */
function lastApplyShown(applied: readonly Step[], item: Applied): boolean {
  const { recipeBase: base, recipeApplied: steps } = item;
  if (base === undefined || !steps) return false;
  return applied.length === base + 1 + steps.length && sameSteps(applied.slice(base + 1), steps);
}

/**
 * Whether a file already shows `recipe`: its steps are the recipe, or its own steps followed by
 * the recipe as the last Apply put it there.
 */
export function hasRecipe(
  applied: readonly Step[],
  item: Applied,
  recipe: readonly Step[],
): boolean {
  if (!recipe.length) return false;
  if (sameSteps(applied, recipe)) return true;
  return lastApplyShown(applied, item) && sameSteps(item.recipeApplied!, recipe);
}

/** What Apply runs on one file: `steps` after history index `base`; the recipe then starts after `recipeBase`. */
export interface RecipePlan {
  base: number;
  steps: Step[];
  recipeBase: number;
}

/**
 * Where Apply puts the recipe in one file's history (`applied`: the steps it shows). It never
 * replaces a step the user made on that file:
 * - a file whose steps are the recipe's first steps gets the rest (a fresh file gets it all);
 * - a file whose last steps are what the previous Apply put there gets them replaced;
 * - any other file gets the recipe after its own steps.
 * Null when the file already shows the recipe.
 *
 * @example recipePlan([invert], {}, [invert, blur]) // { base: 0, steps: [blur], recipeBase: -1 }
 */
export function recipePlan(
  applied: readonly Step[],
  item: Applied,
  recipe: readonly Step[],
): RecipePlan | null {
  if (hasRecipe(applied, item, recipe)) return null;
  const cursor = applied.length - 1;
  if (applied.length < recipe.length && sameSteps(applied, recipe.slice(0, applied.length)))
    return { base: cursor, steps: recipe.slice(applied.length), recipeBase: -1 };
  if (lastApplyShown(applied, item))
    return { base: item.recipeBase!, steps: [...recipe], recipeBase: item.recipeBase! };
  return { base: cursor, steps: [...recipe], recipeBase: cursor };
}
