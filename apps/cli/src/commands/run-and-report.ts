import { LoupeError } from '@loupe/shared';
import { AtomicWriter } from '../batch/atomic-write';
import { runReport, summaryText, type RunReport } from '../batch/report';
import { runBatch, type BatchTask } from '../batch/run-batch';
import type { Engine } from '../engines/engine';
import { EXIT } from '../exit-codes';
import { runProgress } from '../progress/bars';

export interface RunFlags {
  json?: boolean;
  concurrency: number;
  overwrite?: boolean;
}

/**
 * Runs the tasks with bars, prints the summary (or the JSON report) and answers the exit code.
 * Ctrl-C stops new files and cancels those in flight, whose temp files go; a second Ctrl-C
 * exits at once, still removing them.
 */
export async function runAndReport(
  command: RunReport['command'],
  engine: Engine,
  tasks: readonly BatchTask[],
  flags: RunFlags,
): Promise<number> {
  const controller = new AbortController();
  const writer = new AtomicWriter();
  const onInterrupt = () => {
    if (controller.signal.aborted) {
      writer.removePendingSync();
      process.exit(EXIT.interrupted);
    }
    controller.abort(new LoupeError('CANCELLED', 'interrupted'));
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  const progress = runProgress(tasks.length, { quiet: Boolean(flags.json) });
  let results;
  try {
    results = await runBatch(tasks, {
      concurrency: flags.concurrency,
      overwrite: Boolean(flags.overwrite),
      writer,
      progress,
      signal: controller.signal,
    });
  } finally {
    progress.stop();
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    await engine.close();
  }
  const interrupted = controller.signal.aborted;
  const report = runReport(command, engine.mode, results, interrupted);
  process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${summaryText(report)}\n`);
  if (interrupted) return EXIT.interrupted;
  return report.failed > 0 ? EXIT.someFailed : EXIT.ok;
}
