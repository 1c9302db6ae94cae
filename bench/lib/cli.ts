import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Fewer sizes and repetitions: the whole suite in under two minutes. */
  readonly quick: boolean;
  /** The whole matrix the issue lists, however long it takes (upscale-cpu only). */
  readonly full?: boolean;
}

export function parseBenchArgs(argv = process.argv.slice(2)): BenchOptions & { only?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      only: { type: 'string' },
    },
    strict: true,
  });
  return { quick: values.quick ?? false, full: values.full ?? false, only: values.only };
}

/** Runs a benchmark file's `run` when the file is executed directly (`tsx bench/<name>.ts`). */
export function runIfMain(
  importMetaUrl: string,
  run: (opts: BenchOptions) => Promise<unknown>,
): void {
  if (importMetaUrl !== `file://${process.argv[1]}`) return;
  run(parseBenchArgs()).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}

export function log(name: string, message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)} ${name}] ${message}\n`);
}
