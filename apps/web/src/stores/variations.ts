import type { EditMetadata, RgbaImage, Step } from '@loupe/shared';

/**
 * One picture of a generative step run with count > 1: the seed that made it and its pixels
 * while the history keeps them (null once the budget let them go).
 */
export interface Variation {
  readonly seed: number;
  readonly image: RgbaImage | null;
}

/**
 * A count > 1 step and its run's metadata narrowed to the one picture `seed` made: count 1 with
 * that seed. Picture k of a run is made from seed + k on its own noise, so this step alone makes
 * exactly that picture again: re-runs, recomputes, copied parameters and a downloaded PNG's
 * `parameters` all describe the picture shown, and a later step can follow it (the engine
 * allows count > 1 only as a pipeline's last step).
 *
 * @example onePicture({ op: 'generate', params: { …, seed: 42, count: 3 } }, metadata, 43)
 *   // { step: { op: 'generate', params: { …, seed: 43, count: 1 } }, metadata: { …seeds: [43] } }
 */
export function onePicture(
  step: Step,
  metadata: EditMetadata,
  seed: number,
): { step: Step; metadata: EditMetadata } {
  const { generation } = metadata;
  return {
    step: { ...step, params: { ...step.params, seed, count: 1 } } as Step,
    metadata: generation ? { ...metadata, generation: { ...generation, seeds: [seed] } } : metadata,
  };
}

/**
 * The variations of a run's last step: its pictures paired with the seeds that made them
 * (`metadata.generation.seeds`, in order). None unless it made more than one.
 *
 * @example variationsOf(metadata, first, [second]) // seeds [42, 43]:
 *   // [{ seed: 42, image: first }, { seed: 43, image: second }]
 */
export function variationsOf(
  metadata: EditMetadata,
  image: RgbaImage,
  others: readonly RgbaImage[] = [],
): Variation[] {
  const seeds = metadata.generation?.seeds ?? [];
  if (!others.length || seeds.length !== others.length + 1) return [];
  return [image, ...others].map((picture, k) => ({ seed: seeds[k]!, image: picture }));
}

/** Which of an entry's variations it shows: the one made by its step's seed. */
export function shownVariation(entry: { step: Step; variations?: readonly Variation[] }): number {
  const seed = (entry.step.params as { seed?: number }).seed;
  return Math.max(0, entry.variations?.findIndex((v) => v.seed === seed) ?? 0);
}
