import { describe, expect, it } from 'vitest';
import { ErrorBodySchema, JobSchema, ReadySchema } from '@loupe/shared';
import { startBundledServer } from './support/bundled-server';
import { decodeRgba, openEvents, png, post, waitFor } from './support/server';

/** One untiled run of ESRGAN thick (~14.5 MFLOP per input pixel): slow by construction. */
const HEAVY = { op: 'upscale', params: { model: 'thick', scale: 2 } } as const;

/**
 * Issue #10 item 6: after SIGTERM the API keeps its contract while it drains. Probes answer,
 * new work is refused in the error shape with Retry-After, and a job in flight finishes and
 * can still be watched and fetched; then the process exits 0 by itself.
 */
describe('SIGTERM drain (node dist/server.js)', () => {
  it('keeps /health, /ready (draining), job state, SSE and results until they are collected', async () => {
    const { base, child, exited } = await startBundledServer({ LOUPE_DRAIN_TIMEOUT_S: '120' });
    try {
      const created = await post(base, '/api/jobs', { image: await png(256, 256), ...HEAVY });
      expect(created.status).toBe(202);
      const { id } = (await created.json()) as { id: string };
      const state = async () =>
        JobSchema.parse(await (await fetch(`${base}/api/jobs/${id}`)).json()).state;
      let running = false;
      await waitFor(
        () => {
          void state().then((s) => (running = s === 'running'));
          return running;
        },
        30_000,
        'the job to run',
      );
      const events = (await openEvents(`${base}/api/jobs/${id}/events`))();

      child.kill('SIGTERM');
      let draining = false;
      await waitFor(
        () => {
          void fetch(`${base}/ready`).then(
            async (r) => (draining = ReadySchema.parse(await r.json()).checks.draining),
          );
          return draining;
        },
        10_000,
        '/ready to report the drain',
      );

      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(503);
      expect(ReadySchema.parse(await ready.json())).toMatchObject({
        ready: false,
        checks: { draining: true },
        reason: 'shutting down',
      });
      expect((await fetch(`${base}/health`)).status).toBe(200);
      for (const path of ['/api/edit', '/api/jobs']) {
        const refused = await post(base, path, { image: await png(8, 8), op: 'invert' });
        expect(refused.status).toBe(503);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(ErrorBodySchema.parse(await refused.json()).error.code).toBe('NOT_READY');
      }
      expect(await state()).toBe('running');

      // The job finishes during the drain; its events and result are still served.
      const stream = await events;
      expect(stream.at(-1)!.data.type).toBe('completed');
      // Finished but not collected: the server waits for its client.
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect(await state()).toBe('succeeded');
      const result = await fetch(`${base}/api/jobs/${id}/result`);
      expect(result.status).toBe(200);
      expect((await decodeRgba(new Uint8Array(await result.arrayBuffer()))).width).toBe(512);
    } finally {
      child.kill('SIGTERM');
    }
    // Everything in flight was handed over: the process exits well before the drain timeout.
    expect(await exited).toBe(0);
  });
});
