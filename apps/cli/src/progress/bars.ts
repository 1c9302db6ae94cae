import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/** A file's bar: tiles or denoising steps done of its total. */
export interface FileBar {
  update(done: number, total: number): void;
  end(): void;
}

/** One bar for the whole run and one per file in flight. */
export interface RunProgress {
  file(name: string): FileBar;
  /** A file that needed no work (skipped) still counts toward the whole. */
  count(): void;
  stop(): void;
}

const SILENT: RunProgress = {
  file: () => ({ update: () => {}, end: () => {} }),
  count: () => {},
  stop: () => {},
};

/**
 * Bars on a terminal; nothing at all when stdout is not one (a pipe, a file, CI) or when the
 * output is `--json`, so logs and parsed output stay clean.
 */
export function runProgress(total: number, { quiet }: { quiet: boolean }): RunProgress {
  if (quiet || !process.stdout.isTTY) return SILENT;
  const bars = new MultiBar(
    {
      format: ' {bar} {value}/{total} {name}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
    },
    Presets.shades_classic,
  );
  const overall = bars.create(total, 0, { name: 'files' });
  return {
    file(name) {
      let bar: SingleBar | undefined = bars.create(1, 0, { name });
      return {
        update(done, all) {
          bar?.setTotal(Math.max(1, all));
          bar?.update(done);
        },
        end() {
          if (bar) bars.remove(bar);
          bar = undefined;
          overall.increment();
        },
      };
    },
    count: () => overall.increment(),
    stop: () => bars.stop(),
  };
}
