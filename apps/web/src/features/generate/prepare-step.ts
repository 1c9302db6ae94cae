import {
  isGenerativeOp,
  resolveGenerationParams,
  resolveSeed,
  type DiffusionModelInfo,
  type Step,
} from '@loupe/shared';

/**
 * A generative step made exact before it runs, as the host would make it (seed, sampler and,
 * for text to image, size from the folder): history then keeps everything the picture was made
 * with, so a re-run makes it again wherever it runs. An unlocked seed is drawn afresh. Other
 * steps pass through; a folder this page does not know is left for the host to refuse.
 *
 * @example prepareStep({ op: 'generate', params: { model: 'sd15', prompt: 'a fox', seed: 7 } }, sd15, false)
 *   // params: { …, seed: <random>, scheduler: 'dpmpp-2m', width: 512, height: 512 }
 */
export function prepareStep(
  step: Step,
  folder: DiffusionModelInfo | undefined,
  seedLocked: boolean,
): Step {
  if (!isGenerativeOp(step.op)) return step;
  const { seed, ...rest } = step.params as { seed?: number };
  const keep = seedLocked && seed !== undefined;
  const seeded = {
    ...step,
    params: { ...rest, seed: keep ? seed : resolveSeed(undefined) },
  } as Step;
  return folder ? resolveGenerationParams(seeded, folder) : seeded;
}

/** The seed a prepared generative step runs with; undefined for other steps. */
export function stepSeed(step: Step): number | undefined {
  return isGenerativeOp(step.op) ? (step.params as { seed?: number }).seed : undefined;
}
