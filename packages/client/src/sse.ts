/** One `text/event-stream` message as the spec defines it (event name, data lines joined by \n). */
export interface SseMessage {
  event: string;
  data: string;
  /** The last event id seen so far, which a reconnect sends back as `Last-Event-ID`. */
  id?: string;
}

/**
 * Incremental `text/event-stream` parser: feed it chunks as they arrive (split anywhere,
 * even inside a line or a CRLF) and it returns the messages completed so far.
 * SSE is read through fetch rather than EventSource so the stream shares the call's
 * AbortSignal, sends the bearer token, and runs outside browsers too.
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
 * The messages of a streamed response body, until it ends. Stopping early (break, return,
 * an error) cancels the body, which closes the connection.
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const parse = createSseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield* parse(decoder.decode(value, { stream: true }));
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
