import type { RequestExtra } from './context';

/** Reports `progress` of `total` with a message; calls that do not move forward are dropped. */
export type ReportProgress = (progress: number, total: number | undefined, message: string) => void;

/**
 * `notifications/progress` for a request that asked for them (it carries `_meta.progressToken`),
 * nothing otherwise. The spec requires each value to be larger than the last, so a repeat (a
 * replayed event, a second job at the same point) is dropped rather than sent.
 */
export function progressReporter(extra: RequestExtra): ReportProgress {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return () => {};
  let last = -Infinity;
  return (progress, total, message) => {
    if (progress <= last) return;
    last = progress;
    // A notification lost to a closed transport is no reason to fail the job.
    void extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress, ...(total === undefined ? {} : { total }), message },
      })
      .catch(() => {});
  };
}
