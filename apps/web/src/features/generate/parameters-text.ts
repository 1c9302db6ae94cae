import { formatSdParameters, generationRecord, type EditMetadata } from '@loupe/shared';

/**
 * The A1111 `parameters` text of a generated picture, from what its run reports it ran with
 * (the seed drawn, the sampler resolved), not from what was asked: the text SD tools read from a
 * PNG and paste into their prompt box, the same the server writes into its PNGs. Null for a
 * picture no generative step made.
 *
 * @example parametersText(metadata) // 'a fox\nSteps: 28, Sampler: DPM++ 2M, CFG scale: 7.5, Seed: 42, Size: 512x512, Model hash: …, Model: sd15'
 */
export function parametersText(metadata: EditMetadata, image = 0): string | null {
  const g = metadata.generation;
  return g ? formatSdParameters(generationRecord(g, metadata.output, image)) : null;
}
