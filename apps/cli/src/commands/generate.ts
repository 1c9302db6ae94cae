import { extname, join } from 'node:path';
import { Command, Option } from 'commander';
import {
  OUTPUT_FORMATS,
  parsePipeline,
  resolveSeed,
  type OutputFormat,
  type Step,
} from '@loupe/shared';
import { usageFrom } from '../args/edit-steps';
import { anyNumber, nonNegativeInt, positiveInt, quality } from '../args/numbers';
import { paramsFromPairs } from '../args/params';
import { EXTENSION } from '../batch/outputs';
import type { BatchTask } from '../batch/run-batch';
import type { Engine } from '../engines/engine';
import { openEngine, withEngineFlags, type EngineFlags } from './engine-flags';
import { prepareOrRefuse } from './prepare';
import { runAndReport, type RunFlags } from './run-and-report';

interface GenerateFlags extends EngineFlags, RunFlags {
  seed?: number;
  steps?: number;
  model?: string;
  width?: number;
  height?: number;
  count: number;
  negativePrompt?: string;
  guidance?: number;
  param: string[];
  output: string;
  format: OutputFormat;
  quality: number;
}

/** The flag each generate param comes from, so a refusal names what the user typed. */
const FLAG_OF: Record<string, string> = {
  prompt: 'prompt',
  model: '--model',
  seed: '--seed',
  steps: '--steps',
  width: '--width',
  height: '--height',
  count: '--count',
  negativePrompt: '--negative-prompt',
  guidance: '--guidance',
};
const fieldOf = (path: string) => {
  const key = path.replace(/^steps\.0\.params\.?/, '');
  return FLAG_OF[key] ?? `--param ${key}`;
};

/**
 * Picture k of `--count` is made alone from seed + k: the picture one run with that seed makes
 * (the engine's rule for count), so both modes make each one the same way and a single one can
 * be made again from its seed.
 */
function pictureStep(params: Record<string, unknown>, seed: number): Step {
  const parsed = parsePipeline([{ op: 'generate', params: { ...params, seed, count: 1 } }]);
  if (!parsed.ok) throw usageFrom(parsed.issues, fieldOf);
  return parsed.value[0]!;
}

/** `-o` naming an image file: that file (numbered by seed for several); anything else: a folder. */
function outputOf(flags: GenerateFlags, model: string, seed: number): string {
  const ext = extname(flags.output);
  const isFile = ['.png', '.jpg', '.jpeg', '.webp'].includes(ext.toLowerCase());
  if (!isFile) return join(flags.output, `${model}-${seed}${EXTENSION[flags.format]}`);
  return flags.count === 1 ? flags.output : `${flags.output.slice(0, -ext.length)}-${seed}${ext}`;
}

async function tasksFor(
  engine: Engine,
  prompt: string,
  flags: GenerateFlags,
): Promise<BatchTask[]> {
  const model = flags.model ?? (await engine.defaultDiffusionModel('generate'));
  const given = {
    prompt,
    model,
    steps: flags.steps,
    width: flags.width,
    height: flags.height,
    negativePrompt: flags.negativePrompt,
    guidance: flags.guidance,
    ...paramsFromPairs(flags.param),
  };
  const params = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  // The whole request is judged once, count and all, before any picture starts.
  const whole = parsePipeline([{ op: 'generate', params: { ...params, count: flags.count } }]);
  if (!whole.ok) throw usageFrom(whole.issues, fieldOf);
  const first = resolveSeed(flags.seed);
  // The folder is checked once, before any picture starts (in-process; a server checks its own).
  await prepareOrRefuse(engine, [pictureStep(params, first)], fieldOf);
  return Array.from({ length: flags.count }, (_, k): BatchTask => {
    const seed = first + k;
    const step = pictureStep(params, seed);
    return {
      input: null,
      output: outputOf(flags, model, seed),
      seed,
      make: async (signal, onProgress) =>
        engine.edit({
          bytes: null,
          steps: await engine.prepare([step]),
          encoding: { format: flags.format, quality: flags.quality },
          signal,
          onProgress: (p) => onProgress(p.done, p.total),
        }),
    };
  });
}

export function generateCommand(): Command {
  const command = new Command('generate')
    .description('make pictures from a prompt with a diffusion model')
    .argument('<prompt>', 'what to draw')
    .option('--model <id>', 'a diffusion model folder (default: the first that does text to image)')
    .option(
      '--seed <n>',
      'picture k uses seed + k (default: random, reported)',
      nonNegativeInt('--seed'),
    )
    .option('--steps <n>', 'denoising steps', positiveInt('--steps'))
    .option('--width <px>', "default: the model's native size", positiveInt('--width'))
    .option('--height <px>', "default: the model's native size", positiveInt('--height'))
    .option('--count <n>', 'pictures to make', positiveInt('--count'), 1)
    .option('--negative-prompt <text>', 'what to avoid')
    .option('--guidance <scale>', 'classifier-free guidance scale', anyNumber('--guidance'))
    .option(
      '-p, --param <key=value>',
      'any other generate param (repeat for more)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('-o, --output <path>', 'a folder, or an image file name', '.')
    .addOption(
      new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('png'),
    )
    .option('--quality <1-100>', 'webp and jpeg quality', quality, 90)
    .option('--overwrite', 'redo pictures whose file already exists')
    .option('--concurrency <n>', 'pictures in flight at once', positiveInt('--concurrency'), 1)
    .option('--json', 'print one JSON report on stdout (no bars)');
  return withEngineFlags(command).action(async (prompt: string, flags: GenerateFlags) => {
    const engine = await openEngine(flags, (m) => process.stderr.write(`loupe: ${m}\n`));
    const tasks = await tasksFor(engine, prompt, flags).catch(async (e: unknown) => {
      await engine.close();
      throw e;
    });
    process.exitCode = await runAndReport('generate', engine, tasks, flags);
  });
}
