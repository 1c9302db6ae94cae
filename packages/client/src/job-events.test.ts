import { PROTOCOL_VERSION } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { Http } from './http';
import { followJobEvents } from './job-events';
import { chunkedBody } from './test/chunked-body';

const at = '2026-01-01T00:00:00.000Z';
const frame = (id: number, event: object) =>
  `id: ${id}\nevent: x\ndata: ${JSON.stringify({ v: PROTOCOL_VERSION, jobId: 'j1', at, ...event })}\n\n`;

describe('followJobEvents', () => {
  it('ends at the terminal event, ignoring anything after it, without reconnecting', async () => {
    const urls: string[] = [];
    const text =
      frame(0, { type: 'queued', position: 0 }) +
      frame(1, { type: 'started', attempt: 1 }) +
      frame(2, { type: 'failed', error: { code: 'INFERENCE_TIMEOUT', message: 'slow' } }) +
      frame(3, { type: 'completed' });
    const http = new Http({
      baseUrl: 'http://loupe.test/',
      fetch: async (url) => {
        urls.push(url);
        return new Response(chunkedBody(text), {
          headers: { 'content-type': 'text/event-stream' },
        });
      },
    });
    const types = [];
    for await (const e of followJobEvents(http, 'j/1'))
      types.push(e.type === 'failed' ? `failed:${e.error.code}` : e.type);
    expect(types).toEqual(['queued', 'started', 'failed:INFERENCE_TIMEOUT']);
    expect(urls).toEqual(['http://loupe.test/api/jobs/j%2F1/events']);
  });
});
