import { access, readFile } from 'node:fs/promises';
import { isLoupeError } from '@loupe/shared';
import type { RunProgress } from '../progress/bars';
import type { AtomicWriter } from './atomic-write';
import type { FileResult } from './report';

/** One output to make: where it goes, and how its bytes come about. */
export interface BatchTask {
  input: string | null;
  output: string;
  seed?: number;
  /** Set when the task is refused before it runs (two inputs that would write one output). */
  refused?: { code: string; message: string };
  make(signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<Uint8Array>;
}

export interface BatchOptions {
  concurrency: number;
  overwrite: boolean;
  writer: AtomicWriter;
  progress: RunProgress;
  signal: AbortSignal;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** A failure as the report names it: Loupe's code, the system's (ENOENT, EACCES), or INTERNAL. */
function errorOf(e: unknown): { code: string; message: string } {
  if (isLoupeError(e)) return { code: e.code, message: e.message };
  const code = (e as { code?: unknown }).code;
  return {
    code: typeof code === 'string' ? code : 'INTERNAL',
    message: e instanceof Error ? e.message : String(e),
  };
}

/**
 * Makes every output, `concurrency` at a time. An output that already exists is skipped unless
 * `overwrite` (outputs are written whole or not at all, so one that exists is done). A failure
 * is that file's, recorded with its reason; the others go on. After an abort no new file
 * starts, and the files not reached are left out of the results.
 */
export async function runBatch(
  tasks: readonly BatchTask[],
  options: BatchOptions,
): Promise<FileResult[]> {
  const results: (FileResult | undefined)[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length && !options.signal.aborted) {
      const index = next++;
      results[index] = await runTask(tasks[index]!, options);
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency, tasks.length));
  await Promise.all(Array.from({ length: lanes }, worker));
  return results.filter((r): r is FileResult => r !== undefined);
}

async function runTask(task: BatchTask, options: BatchOptions): Promise<FileResult> {
  const base = {
    input: task.input,
    output: task.output,
    ...(task.seed !== undefined ? { seed: task.seed } : {}),
  };
  if (task.refused) {
    options.progress.count();
    return { ...base, status: 'failed', error: task.refused };
  }
  if (!options.overwrite && (await exists(task.output))) {
    options.progress.count();
    return { ...base, status: 'skipped' };
  }
  const bar = options.progress.file(task.input ?? task.output);
  try {
    const bytes = await task.make(options.signal, (done, total) => bar.update(done, total));
    await options.writer.write(task.output, bytes);
    return { ...base, status: 'done' };
  } catch (e) {
    return { ...base, status: 'failed', error: errorOf(e) };
  } finally {
    bar.end();
  }
}

/** An input file's bytes, for a task's `make`. */
export const readInput = (path: string) =>
  readFile(path).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
