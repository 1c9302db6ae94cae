import type { Size } from '@loupe/shared';
import type { SourceImage } from '../../stores/document-store';

/** At most this many characters of the prompt name a generated picture's file. */
const NAME_CHARS = 40;

/**
 * The name a picture made from nothing goes by: its prompt's first words, e.g. `a-red-fox.png`.
 *
 * @example generatedName('A red fox, in the snow') // 'a-red-fox-in-the-snow.png'
 */
export function generatedName(prompt: string): string {
  const slug = prompt
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .slice(0, NAME_CHARS)
    .replace(/^-+|-+$/g, '');
  return `${slug || 'generated'}.png`;
}

/**
 * The empty canvas a text-to-image run starts its document from when no picture is open: as
 * big as the picture it will make, opaque white (a transparent one would let the split view
 * show the result on both sides). History then holds the generated picture as step 1 (with all
 * its parameters), which undo, re-run and compare treat like any other.
 */
export function blankSource(size: Size, prompt: string): SourceImage {
  return {
    image: {
      width: size.width,
      height: size.height,
      data: new Uint8Array(size.width * size.height * 4).fill(255),
    },
    name: generatedName(prompt),
    bytes: 0,
    format: 'New picture',
  };
}
