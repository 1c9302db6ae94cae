/**
 * `pnpm --filter @loupe/model-tools run diffusion-fixtures <outDir> [--sd15] [--fp16]`
 *
 * Writes random-weight diffusers ONNX pipelines for tests and benchmarks; they produce noise,
 * never images, and are not models. Without flags: every tiny pipeline (TINY_PIPELINES), one
 * folder each. `--sd15`: one pipeline with Stable Diffusion 1.5's shapes (about 4.3 GB in
 * float32, half with `--fp16`), which must go outside the repository.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePipelineFolder } from './pipeline-folder';
import { sd15PipelineSpec } from './sd15-pipeline';
import { TINY_PIPELINE_IDS, TINY_PIPELINES } from './tiny-pipelines';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

function main(args: string[]): void {
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const [target, ...rest] = args.filter((a) => !a.startsWith('--'));
  const unknown = [...flags].filter((f) => f !== '--sd15' && f !== '--fp16');
  if (!target || rest.length || unknown.length || (flags.has('--fp16') && !flags.has('--sd15'))) {
    console.error(
      'usage: pnpm --filter @loupe/model-tools run diffusion-fixtures <outDir> [--sd15 [--fp16]]',
    );
    process.exit(2);
  }
  // pnpm runs scripts in the package folder; a relative path means the caller's folder.
  const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), target);

  if (!flags.has('--sd15')) {
    for (const id of TINY_PIPELINE_IDS) {
      const started = performance.now();
      writePipelineFolder(join(outDir, id), TINY_PIPELINES[id]);
      const ms = Math.round(performance.now() - started);
      console.log(`${id}: ${(folderBytes(join(outDir, id)) / 1024).toFixed(0)} KiB in ${ms} ms`);
    }
    console.log(`tiny random-weight pipelines (not models) in ${outDir}`);
    return;
  }

  const within = relative(repoRoot, outDir);
  if (!within.startsWith('..') && !within.startsWith('/')) {
    console.error(`${outDir} is inside the repository; write the SD-1.5-shaped pipeline elsewhere`);
    process.exit(2);
  }
  const dtype = flags.has('--fp16') ? 'float16' : 'float32';
  const dir = join(outDir, `sd15-shaped-random-${dtype === 'float16' ? 'fp16' : 'fp32'}`);
  const started = performance.now();
  const { parameters } = writePipelineFolder(dir, sd15PipelineSpec(dtype));
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  for (const [part, count] of Object.entries(parameters))
    console.log(`${part}: ${count.toLocaleString('en')} parameters`);
  console.log(
    `SD-1.5-shaped random-weight pipeline (not a model): ${(folderBytes(dir) / 2 ** 30).toFixed(2)} GiB in ${seconds} s at ${dir}`,
  );
}

main(process.argv.slice(2));
