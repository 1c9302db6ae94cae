import { describe, expect, it } from 'vitest';
import { createSseParser, readSse } from './sse';
import { chunkedBody } from './test/chunked-body';

describe('SSE parsing', () => {
  it('assembles messages split across chunks, CRLF included, and joins data lines', () => {
    const parse = createSseParser();
    expect(parse('event: progress\r')).toEqual([]);
    expect(parse('\ndata: {"a":')).toEqual([]);
    expect(parse('1}\r\n\r\n: keep-alive\n\nid: 7\ndata: x\ndata: y\n')).toEqual([
      { event: 'progress', data: '{"a":1}' },
    ]);
    expect(parse('\n')).toEqual([{ event: 'message', data: 'x\ny', id: '7' }]);
  });

  it('keeps the last event id for the messages after it, as reconnection needs', () => {
    const parse = createSseParser();
    expect(parse('id: 3\ndata: a\n\ndata: b\n\n')).toEqual([
      { event: 'message', data: 'a', id: '3' },
      { event: 'message', data: 'b', id: '3' },
    ]);
  });

  it('reads a body whose chunks split multi-byte characters', async () => {
    const messages = [];
    for await (const m of readSse(
      chunkedBody('id: 0\ndata: Upscaling ×4 — ça va\n\nid: 1\ndata: ✓\n\n'),
    ))
      messages.push(m);
    expect(messages).toEqual([
      { event: 'message', data: 'Upscaling ×4 — ça va', id: '0' },
      { event: 'message', data: '✓', id: '1' },
    ]);
  });
});
