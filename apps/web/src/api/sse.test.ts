import { PROTOCOL_VERSION, isLoupeError } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { createSseParser, parseJobEvent, readJobEvents } from './sse';

const at = '2026-01-01T00:00:00.000Z';
const ev = (o: object) => JSON.stringify({ v: PROTOCOL_VERSION, jobId: 'j1', at, ...o });

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

  it('validates job events with the shared schema', () => {
    const e = parseJobEvent(
      ev({
        type: 'progress',
        progress: { done: 3, total: 12, unit: 'tile', stage: 'Upscaling', etaMs: 900 },
      }),
    );
    expect(e.type === 'progress' && e.progress.done).toBe(3);
    expect(parseJobEvent(ev({ type: 'queued', position: 2 }))).toMatchObject({
      type: 'queued',
      position: 2,
    });
  });

  it('rejects events of another protocol version or shape with a LoupeError', () => {
    for (const bad of [
      JSON.stringify({ v: PROTOCOL_VERSION + 1, jobId: 'j', at, type: 'queued', position: 0 }),
      ev({ type: 'exploded' }),
      'not json',
    ]) {
      let error: unknown;
      try {
        parseJobEvent(bad);
      } catch (e) {
        error = e;
      }
      expect(isLoupeError(error) && error.code).toBe('INVALID_REQUEST');
    }
  });

  it('reads a stream up to the terminal event and ignores anything after it', async () => {
    const text =
      `event: queued\ndata: ${ev({ type: 'queued', position: 0 })}\n\n` +
      `data: ${ev({ type: 'started', attempt: 1 })}\n\n` +
      `data: ${ev({ type: 'failed', error: { code: 'INFERENCE_TIMEOUT', message: 'slow' } })}\n\n` +
      `data: ${ev({ type: 'completed' })}\n\n`;
    const bytes = new TextEncoder().encode(text);
    // Odd chunk sizes split UTF-8 and lines at arbitrary places.
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.subarray(i, i + 7));
        c.close();
      },
    });
    const types = [];
    for await (const e of readJobEvents(body))
      types.push(e.type === 'failed' ? `failed:${e.error.code}` : e.type);
    expect(types).toEqual(['queued', 'started', 'failed:INFERENCE_TIMEOUT']);
  });
});
