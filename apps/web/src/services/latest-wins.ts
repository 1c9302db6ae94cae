/**
 * Runs jobs one at a time where only the newest waiting one matters (a live preview while a
 * slider moves): at most one job in flight and one waiting; a job pushed while another waits
 * replaces it, so stale ones are dropped before they start, never queued.
 */
export interface LatestWins<J> {
  /** Starts `job` now if nothing is in flight, else makes it the one that runs next. */
  push(job: J): void;
  /** Drops the waiting job and aborts the one in flight (its task sees its signal fire). */
  cancel(): void;
  /** Settles once nothing is in flight or waiting. */
  idle(): Promise<void>;
}

/**
 * @example
 * const previews = latestWins((params, signal) => renderPreview(params, signal));
 * slider.oninput = () => previews.push(slider.value); // 60 events: the first and the last run
 */
export function latestWins<J>(task: (job: J, signal: AbortSignal) => Promise<void>): LatestWins<J> {
  let waiting: { job: J } | null = null;
  let inFlight: AbortController | null = null;
  let settled: Promise<void> = Promise.resolve();
  let settle = () => {};

  const next = () => {
    const taken = waiting;
    waiting = null;
    if (!taken) {
      inFlight = null;
      return settle();
    }
    const controller = new AbortController();
    inFlight = controller;
    // A failed job is the task's to report; the next one runs regardless.
    task(taken.job, controller.signal)
      .catch(() => undefined)
      .finally(next);
  };

  return {
    push(job) {
      waiting = { job };
      if (inFlight) return;
      settled = new Promise((resolve) => (settle = resolve));
      next();
    },
    cancel() {
      waiting = null;
      inFlight?.abort();
    },
    idle: () => settled,
  };
}
