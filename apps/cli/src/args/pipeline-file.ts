import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../usage-error';

/**
 * A pipeline file's steps, unvalidated: a list of `{op, params}`, or an object with `steps`.
 * `.json` is read as JSON, anything else as YAML (which JSON is also valid as).
 *
 * @example
 * # retouch.yaml
 * - op: adjust
 *   params: { contrast: 0.2 }
 * - op: upscale
 *   params: { scale: 2 }
 */
export async function readPipelineFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--pipeline ${path}: ${(e as Error).message}`, '--pipeline');
  }
  let doc: unknown;
  try {
    doc = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new UsageError(
      `--pipeline ${path}: not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`,
      '--pipeline',
    );
  }
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && 'steps' in doc)
    return (doc as { steps: unknown }).steps;
  return doc;
}
