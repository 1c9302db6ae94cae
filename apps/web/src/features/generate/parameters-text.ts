import { formatSdParameters, type EditMetadata } from '@loupe/shared';

/**
 * The A1111 `parameters` text of a generated picture, from what its run reports it ran with
 * (the seed drawn, the sampler resolved), not from what was asked: the text SD tools read from a
 * PNG and paste into their prompt box. Null for a picture no generative step made.
 *
 * @example parametersText(metadata) // 'a fox\nSteps: 28, Sampler: DPM++ 2M, CFG scale: 7.5, Seed: 42, Size: 512x512, Model hash: …, Model: sd15'
 */
export function parametersText(metadata: EditMetadata, image = 0): string | null {
  const g = metadata.generation;
  if (!g) return null;
  return formatSdParameters({
    prompt: g.prompt,
    negativePrompt: g.negativePrompt,
    steps: g.requestedSteps,
    guidance: g.guidance,
    seed: g.seeds[image] ?? g.seeds[0]!,
    width: metadata.output.width,
    height: metadata.output.height,
    scheduler: g.scheduler,
    karras: g.karras,
    ...(g.strength !== undefined ? { strength: g.strength } : {}),
    ...(g.imageGuidance !== undefined ? { imageGuidance: g.imageGuidance } : {}),
    model: { id: g.model, sha256: g.modelSha256 },
  });
}
