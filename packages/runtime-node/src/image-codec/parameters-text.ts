import {
  formatSdParameters,
  generationRecord,
  type GenerationMetadata,
  type OutputEncoding,
  type Size,
} from '@loupe/shared';

/**
 * A generated picture's PNG carries how it was made in the `parameters` text the SD tools read
 * (A1111, ComfyUI's importers): its own seed (picture `index` of the run), the size it came out
 * at. Other formats, and pictures no generative step made, carry none. The server's child and the
 * CLI's in-process runs encode through this, so both write the same bytes.
 *
 * @example encodeImage(picture, withParametersText(output, outcome.generation, picture, 1))
 */
export function withParametersText(
  output: OutputEncoding,
  generation: GenerationMetadata | undefined,
  picture: Size,
  index = 0,
): OutputEncoding {
  if (!generation || output.format !== 'png') return output;
  const parameters = formatSdParameters(generationRecord(generation, picture, index));
  return { ...output, text: { ...output.text, parameters } };
}
