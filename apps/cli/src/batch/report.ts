import { z } from 'zod';

/** Bumped when a field's meaning changes; scripts check `v`. */
export const REPORT_VERSION = 1;

export const FILE_STATUSES = ['done', 'skipped', 'failed'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];
export const RUN_MODES = ['in-process', 'server'] as const;
export type RunMode = (typeof RUN_MODES)[number];

const ErrorSchema = z.object({
  /** Loupe's error code (`IMAGE_CORRUPT`, `UNSUPPORTED_MEDIA_TYPE`, …), or the system's (`EACCES`). */
  code: z.string(),
  message: z.string(),
});

export const FileResultSchema = z.object({
  /** The input file (edit), or null for a generated picture. */
  input: z.string().nullable(),
  output: z.string(),
  status: z.enum(FILE_STATUSES),
  /** Generated pictures: the seed that makes this one again. */
  seed: z.number().int().optional(),
  error: ErrorSchema.optional(),
});
export type FileResult = z.infer<typeof FileResultSchema>;

/**
 * What `loupe edit --json` and `loupe generate --json` print: one JSON document on stdout, and
 * nothing else there. A usage error prints `{ v, usageError }` instead (exit code 2).
 *
 * @example { "v": 1, "command": "edit", "mode": "in-process", "done": 3, "skipped": 0,
 *   "failed": 1, "files": [{ "input": "in/a.png", "output": "out/a.png", "status": "done" }, …] }
 */
export const ReportSchema = z.union([
  z.object({
    v: z.literal(REPORT_VERSION),
    command: z.enum(['edit', 'generate']),
    mode: z.enum(RUN_MODES),
    done: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    /** True when Ctrl-C stopped the run: files not reached are not listed. */
    interrupted: z.boolean(),
    files: z.array(FileResultSchema),
  }),
  z.object({
    v: z.literal(REPORT_VERSION),
    usageError: z.object({ message: z.string(), field: z.string().optional() }),
  }),
]);
export type Report = z.infer<typeof ReportSchema>;
export type RunReport = Extract<Report, { files: unknown }>;

export function runReport(
  command: RunReport['command'],
  mode: RunMode,
  files: FileResult[],
  interrupted: boolean,
): RunReport {
  const count = (s: FileStatus) => files.filter((f) => f.status === s).length;
  return {
    v: REPORT_VERSION,
    command,
    mode,
    done: count('done'),
    skipped: count('skipped'),
    failed: count('failed'),
    interrupted,
    files,
  };
}

/** The summary a person reads: counts, then each failed file with its reason. */
export function summaryText(report: RunReport): string {
  const lines = [
    `${report.done} done, ${report.skipped} skipped (already there), ${report.failed} failed${report.interrupted ? ' (interrupted)' : ''}`,
  ];
  for (const f of report.files)
    if (f.status === 'failed' && f.error)
      lines.push(`  failed: ${f.input ?? f.output}: ${f.error.message} [${f.error.code}]`);
  return lines.join('\n');
}
