import { isLoupeError, type Step } from '@loupe/shared';
import { usageFrom } from '../args/edit-steps';
import type { Engine } from '../engines/engine';

/**
 * The engine's settling of the steps (in-process: a generative step's folder checked, its size
 * and seed fixed). A refusal that names a field is the user's to fix: a usage error naming it.
 */
export async function prepareOrRefuse(
  engine: Engine,
  steps: Step[],
  fieldOf: (path: string) => string,
): Promise<Step[]> {
  try {
    return await engine.prepare(steps);
  } catch (e) {
    if (isLoupeError(e) && e.code === 'INVALID_PARAMS' && e.fields?.length)
      throw usageFrom(e.fields, fieldOf);
    throw e;
  }
}
