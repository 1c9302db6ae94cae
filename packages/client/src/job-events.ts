import { JobEventSchema, LoupeError, TERMINAL_EVENT_TYPES, type JobEvent } from '@loupe/shared';
import { InvalidResponseError } from './errors';
import { endpoint, networkError, parse, type CallOptions, type Http } from './http';
import { readSse } from './sse';

export interface JobEventsOptions extends CallOptions {
  /** Start after this event id instead of at the job's first event. */
  lastEventId?: string;
  /** Reconnections in a row, with no event received in between, before giving up. Default 3. */
  reconnects?: number;
  /** Wait before each reconnection. Default 1000 ms. */
  reconnectDelayMs?: number;
}

const RECONNECTS = 3;
const RECONNECT_DELAY_MS = 1_000;

/**
 * A job's events from `GET /api/jobs/:id/events`, validated with the shared `JobEventSchema`.
 * A dropped stream (proxy timeout, network blip, the server's connection limit) is reopened with
 * `Last-Event-ID`, from which the server replays only what came after: no duplicate, no gap.
 * Ends after the one terminal event (completed, failed or cancelled).
 *
 * @throws LoupeError('SERVER_UNREACHABLE') once `reconnects` reconnections in a row failed;
 *   LoupeApiError for an error answer (e.g. NOT_FOUND: the server restarted and forgot the job);
 *   InvalidResponseError for an event outside the contract (another protocol version included).
 */
export async function* followJobEvents(
  http: Http,
  id: string,
  options: JobEventsOptions = {},
): AsyncGenerator<JobEvent, void, undefined> {
  const { signal } = options;
  const path = `/api/jobs/${encodeURIComponent(id)}/events`;
  const where = endpoint({ path });
  let lastEventId = options.lastEventId;
  let failures = 0;
  for (;;) {
    let dropped: LoupeError;
    try {
      const res = await http.send({
        path,
        signal,
        headers: {
          accept: 'text/event-stream',
          ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
        },
      });
      if (!res.body)
        throw new InvalidResponseError(where, res.status, [{ path: '', message: 'no body' }]);
      for await (const message of readSse(res.body)) {
        const event = parse(JobEventSchema, message.data, where, res.status);
        lastEventId = message.id ?? lastEventId;
        failures = 0;
        yield event;
        if (TERMINAL_EVENT_TYPES.includes(event.type)) return;
      }
      dropped = new LoupeError(
        'SERVER_UNREACHABLE',
        'The job event stream ended before the job finished',
      );
    } catch (e) {
      if (signal?.aborted) throw new LoupeError('CANCELLED');
      // Errors reading the body arrive as the runtime's own (TypeError: terminated, …).
      const error = e instanceof LoupeError ? e : networkError(e, signal);
      if (error.code !== 'SERVER_UNREACHABLE') throw error;
      dropped = error;
    }
    if (++failures > (options.reconnects ?? RECONNECTS)) throw dropped;
    await sleep(options.reconnectDelayMs ?? RECONNECT_DELAY_MS, signal);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancel = () => {
      clearTimeout(timer);
      reject(new LoupeError('CANCELLED'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', cancel);
      resolve();
    }, ms);
    if (signal?.aborted) cancel();
    else signal?.addEventListener('abort', cancel, { once: true });
  });
}
