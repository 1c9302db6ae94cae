import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePipelineFolder } from './pipeline-folder';
import { TINY_PIPELINE_IDS, TINY_PIPELINES, type TinyPipelineId } from './tiny-pipelines';

export interface TinyPipelineFixtures {
  /** The folder holding one subfolder per pipeline, named by its id. */
  readonly root: string;
  /** The folder of one pipeline. */
  path(id: TinyPipelineId): string;
}

const here = dirname(fileURLToPath(import.meta.url));
const COMPLETE = '.complete';

/**
 * What the fixtures' bytes depend on: the specs and the generator's own source. Any change to
 * either gives a new folder; an unchanged generator reuses the one already written.
 */
function contentHash(): string {
  const hash = createHash('sha256').update(JSON.stringify(TINY_PIPELINES));
  const sources = [
    ...readdirSync(here).map((f) => join(here, f)),
    ...readdirSync(join(here, '..', 'onnx')).map((f) => join(here, '..', 'onnx', f)),
  ]
    .filter((f) => f.endsWith('.ts'))
    .sort();
  for (const file of sources) hash.update(file.slice(here.length)).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Every tiny random-weight pipeline (`TINY_PIPELINES`), written once into the OS temp folder
 * under the generator's content hash and reused by later test runs; concurrent writers each
 * build in their own folder and the first rename wins. Takes about a second when nothing is
 * cached.
 *
 * @example
 *   const fixtures = tinyPipelineFixtures();
 *   await inspectDiffusionFolder(fixtures.path('optimum-lcm'));
 */
export function tinyPipelineFixtures(): TinyPipelineFixtures {
  const root = join(tmpdir(), 'loupe-diffusion-fixtures', contentHash());
  if (!existsSync(join(root, COMPLETE))) {
    const partial = `${root}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    for (const id of TINY_PIPELINE_IDS) writePipelineFolder(join(partial, id), TINY_PIPELINES[id]);
    writeFileSync(join(partial, COMPLETE), '');
    try {
      renameSync(partial, root);
    } catch {
      // Another process finished first: its folder has the same bytes.
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return { root, path: (id) => join(root, id) };
}
