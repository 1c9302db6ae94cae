import { JobEventSchema, LoupeError, TERMINAL_EVENTS, type JobEvent } from '@loupe/shared';

/** One `text/event-stream` message as the spec defines it (event name, data lines joined by \n). */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/**
 * Incremental `text/event-stream` parser: feed it chunks as they arrive (split anywhere,
 * even inside a line or a CRLF) and it returns the messages completed so far.
 * We read SSE through fetch rather than EventSource so the stream shares the request's
 * AbortSignal and a dropped connection surfaces as an error instead of a silent reconnect.
 */
export function createSseParser(): (chunk: string) => SseMessage[] {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  return (chunk) => {
    buffer += chunk;
    const out: SseMessage[] = [];
    // A trailing '\r' may be half of a CRLF split across chunks: keep it for the next call.
    const lines = buffer.split(/\r\n|\r(?!$)|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (data.length)
          out.push({ event: event || 'message', data: data.join('\n'), ...(id ? { id } : {}) });
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id') id = value;
    }
    return out;
  };
}

/**
 * Validates one SSE data payload against the shared JobEventSchema.
 *
 * @example parseJobEvent('{"v":2,"jobId":"j1","at":"…","type":"queued","position":0}') // { type: 'queued', … }
 * @throws LoupeError('INVALID_REQUEST') when the payload is not a job event of our protocol version.
 */
export function parseJobEvent(data: string): JobEvent {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new LoupeError(
      'INVALID_REQUEST',
      `The server sent an unreadable job event: ${data.slice(0, 80)}`,
    );
  }
  const parsed = JobEventSchema.safeParse(json);
  if (!parsed.success) {
    throw new LoupeError(
      'INVALID_REQUEST',
      `The server sent an unexpected job event: ${parsed.error.issues[0]?.message}`,
    );
  }
  return parsed.data;
}

/** Job events from a streamed response body, ending after the terminal event. */
export async function* readJobEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<JobEvent> {
  const parse = createSseParser();
  const reader = body
    .pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>)
    .getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const message of parse(value)) {
        const event = parseJobEvent(message.data);
        yield event;
        if (TERMINAL_EVENTS[event.type]) return;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
