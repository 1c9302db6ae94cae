import { extname, join } from 'node:path';
import type { OutputFormat } from '@loupe/shared';

/** `--format`: one of the server's output formats, or `keep` each input's own. */
export const FORMAT_CHOICES = ['keep', 'png', 'jpeg', 'webp'] as const;
export type FormatChoice = (typeof FORMAT_CHOICES)[number];

export const EXTENSION: Record<OutputFormat, string> = { png: '.png', jpeg: '.jpg', webp: '.webp' };

/**
 * Decided from the name, before the file is read, so that a rerun knows which outputs exist
 * without decoding anything. `keep`: .jpg/.jpeg stay JPEG, .webp stays WebP, the rest (PNG, and
 * AVIF or GIF, which Loupe reads but does not write) become PNG.
 */
export function outputFormat(inputPath: string, choice: FormatChoice): OutputFormat {
  if (choice !== 'keep') return choice;
  const ext = extname(inputPath).toLowerCase();
  if (ext === '.jpg' || ext === '.jpeg') return 'jpeg';
  if (ext === '.webp') return 'webp';
  return 'png';
}

/**
 * The output file for an input: its place in the input tree, under `outDir`, its extension
 * changed only when the format changes (`photo.JPEG` kept as JPEG stays `photo.JPEG`).
 *
 * @example outputPath('out', 'trip/a.png', 'webp') // 'out/trip/a.webp'
 */
export function outputPath(outDir: string, relative: string, format: OutputFormat): string {
  const ext = extname(relative);
  const same = outputFormat(relative, 'keep') === format && ext !== '' && !isForeign(ext);
  return join(
    outDir,
    same ? relative : relative.slice(0, relative.length - ext.length) + EXTENSION[format],
  );
}

/** Extensions whose format Loupe does not write, so `keep` renames them. */
const isForeign = (ext: string) => !['.png', '.jpg', '.jpeg', '.webp'].includes(ext.toLowerCase());
