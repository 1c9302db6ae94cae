import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { COMPRESSION_LEVELS, LoupeError, type Step } from '@loupe/shared';
import { editSteps } from '../args/edit-steps';
import { positiveInt, quality } from '../args/numbers';
import { expandInputs } from '../batch/inputs';
import { FORMAT_CHOICES, outputFormat, outputPath, type FormatChoice } from '../batch/outputs';
import { readInput, type BatchTask } from '../batch/run-batch';
import type { Engine } from '../engines/engine';
import { UsageError } from '../usage-error';
import { openEngine, withEngineFlags, type EngineFlags } from './engine-flags';
import { prepareOrRefuse } from './prepare';
import { runAndReport, type RunFlags } from './run-and-report';

interface EditFlags extends EngineFlags, RunFlags {
  op?: string;
  param: string[];
  pipeline?: string;
  mask?: string;
  output: string;
  format: FormatChoice;
  quality: number;
  compression?: (typeof COMPRESSION_LEVELS)[number];
}

/** An empty file is refused by name before any decoder sees it (its sniffed type says less). */
async function nonEmpty(path: string): Promise<Uint8Array> {
  const bytes = await readInput(path);
  if (!bytes.byteLength) throw new LoupeError('INVALID_REQUEST', 'The file is empty (0 bytes)');
  return bytes;
}

/**
 * The mask for an input: `--mask` itself when it is a file (one mask for every input), else the
 * file at the input's relative path inside that folder (a folder of masks mirroring the inputs).
 */
async function maskFor(mask: string, relative: string): Promise<Uint8Array> {
  const folder = await stat(mask).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const path = folder ? join(mask, relative) : mask;
  const bytes = await readInput(path).catch(() => {
    throw new LoupeError('INVALID_REQUEST', `No mask at ${path}`, [
      { path: 'mask', message: `no file ${path}` },
    ]);
  });
  if (!bytes.byteLength)
    throw new LoupeError('INVALID_REQUEST', `The mask ${path} is empty (0 bytes)`, [
      { path: 'mask', message: 'an empty file' },
    ]);
  return bytes;
}

function tasksFor(
  files: Awaited<ReturnType<typeof expandInputs>>,
  steps: Step[],
  engine: Engine,
  flags: EditFlags,
): BatchTask[] {
  const claimed = new Map<string, string>();
  return files.map((file): BatchTask => {
    const format = outputFormat(file.path, flags.format);
    const output = outputPath(flags.output, file.relative, format);
    const first = claimed.get(output);
    claimed.set(output, first ?? file.path);
    const encoding = {
      format,
      quality: flags.quality,
      ...(flags.compression ? { compression: flags.compression } : {}),
    };
    return {
      input: file.path,
      output,
      ...(first
        ? { refused: { code: 'OUTPUT_CONFLICT', message: `${first} writes the same output` } }
        : {}),
      make: async (signal, onProgress) =>
        engine.edit({
          bytes: await nonEmpty(file.path),
          ...(flags.mask ? { mask: await maskFor(flags.mask, file.relative) } : {}),
          steps,
          encoding,
          signal,
          onProgress: (p) => onProgress(p.done, p.total),
        }),
    };
  });
}

export function editCommand(): Command {
  const command = new Command('edit')
    .description(
      'edit image files, folders (recursively) and globs into an output folder that mirrors them',
    )
    .argument('<inputs...>', 'files, folders or globs (quote globs: "shots/**/*.jpg")')
    .option('--op <op>', 'the operation (`loupe ops` lists them)')
    .option(
      '-p, --param <key=value>',
      'a parameter of --op (repeat for more)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--pipeline <file>', 'steps from a JSON or YAML file: [{op, params}, …]')
    .option(
      '--mask <file|dir>',
      'for erase and inpaint: one mask for every input, or a folder of masks at the inputs’ relative paths (white = change)',
    )
    .requiredOption('-o, --output <dir>', 'the output folder')
    .addOption(
      new Option('--format <format>', 'output format').choices(FORMAT_CHOICES).default('keep'),
    )
    .option('--quality <1-100>', 'webp and jpeg quality', quality, 90)
    .addOption(
      new Option('--compression <level>', 'encoder effort (default: by result size)').choices(
        COMPRESSION_LEVELS,
      ),
    )
    .option(
      '--overwrite',
      'redo outputs that already exist (default: skip them, so a rerun resumes)',
    )
    .option('--concurrency <n>', 'files in flight at once', positiveInt('--concurrency'), 2)
    .option('--json', 'print one JSON report on stdout (no bars)');
  return withEngineFlags(command).action(async (inputs: string[], flags: EditFlags) => {
    const steps = await editSteps(flags);
    const files = await expandInputs(inputs, flags.output);
    if (!files.length) throw new UsageError(`no image files in ${inputs.join(', ')}`, 'inputs');
    const engine = await openEngine(flags, (m) => process.stderr.write(`loupe: ${m}\n`));
    const fieldOf = (path: string) =>
      flags.pipeline
        ? `${flags.pipeline}: ${path}`
        : `--param ${path.replace(/^steps\.0\.params\./, '')}`;
    const ready = await prepareOrRefuse(engine, steps, fieldOf).catch(async (e: unknown) => {
      await engine.close();
      throw e;
    });
    process.exitCode = await runAndReport(
      'edit',
      engine,
      tasksFor(files, ready, engine, flags),
      flags,
    );
  });
}
