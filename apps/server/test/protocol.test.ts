import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { IncompatibleMessageSchema, PROTOCOL_VERSION } from '@loupe/shared';
import { loadConfig } from '../src/config';
import { Supervisor } from '../src/inference/supervisor';
import { JobManager } from '../src/jobs/job-manager';
import { waitFor } from './support/server';

const STALE_CHILD = fileURLToPath(new URL('./support/stale-child.ts', import.meta.url));
/** The bound: a child of another build is refused this fast, never waited on. */
const REFUSED_WITHIN_MS = 5_000;

describe('children of another build (real child processes)', () => {
  let supervisor: Supervisor | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'loupe-protocol-'));
  afterEach(async () => {
    await supervisor?.stop();
    supervisor = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function start(mode: string, handshakeTimeoutMs?: number) {
    const logs: string[] = [];
    const received = join(dir, `${mode}.jsonl`);
    supervisor = new Supervisor(
      loadConfig({ LOUPE_EP: 'cpu', LOUPE_WORKERS: '1', LOUPE_IDLE_OFFLOAD_S: '0' }),
      { onWorkerAvailable: () => {}, onRestart: () => {}, log: (m) => logs.push(m) },
      { ...process.env, STALE_CHILD_MODE: mode, STALE_CHILD_LOG: received },
      { entry: STALE_CHILD, ...(handshakeTimeoutMs ? { handshakeTimeoutMs } : {}) },
    );
    const receivedMessages = () =>
      readFileSync(received, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string });
    return { supervisor, logs, worker: supervisor.workers[0]!, receivedMessages };
  }

  it('a child of an older protocol that refuses the init is reported incompatible, naming both versions, and not restarted', async () => {
    const { supervisor, logs, worker } = start('refuses');
    await waitFor(() => worker.state === 'incompatible', REFUSED_WITHIN_MS, 'the refusal');
    expect(supervisor.incompatibility).toContain(
      `speaks protocol ${PROTOCOL_VERSION - 1} and refused protocol ${PROTOCOL_VERSION}`,
    );
    expect(logs.join('\n')).toContain(supervisor.incompatibility);
    await worker.whenExited();
    expect(supervisor.workers[0]).toBe(worker);
    expect(supervisor.restarts[0]).toBe(0);
    expect(supervisor.allUp).toBe(false);
    expect(supervisor.idleWorker()).toBeUndefined();
    await expect(supervisor.applyResidency('offload')).resolves.toMatchObject({ affected: [] });
    // New work is refused with the reason at once, instead of queueing for a child that never comes.
    const jobs = new JobManager(loadConfig({}), supervisor, { onEnd: () => {} });
    expect(() => jobs.admit()).toThrow(
      expect.objectContaining({
        code: 'INCOMPATIBLE_PROTOCOL',
        message: supervisor.incompatibility,
      }),
    );
  });

  it('a child that announces an older protocol is answered `incompatible` naming both versions', async () => {
    const { supervisor, worker, receivedMessages } = start('announces');
    await waitFor(() => worker.state === 'incompatible', REFUSED_WITHIN_MS, 'the refusal');
    expect(supervisor.incompatibility).toContain(
      `Received protocol ${PROTOCOL_VERSION - 1}; this side speaks protocol ${PROTOCOL_VERSION}`,
    );
    // The child exits on its own once the refusal has reached it and the channel has closed.
    await worker.whenExited();
    const [init, refusal] = receivedMessages();
    expect(init).toMatchObject({ v: PROTOCOL_VERSION, type: 'init' });
    expect(IncompatibleMessageSchema.parse(refusal)).toMatchObject({
      v: PROTOCOL_VERSION,
      type: 'incompatible',
      received: PROTOCOL_VERSION - 1,
      id: (init as unknown as { id: string }).id,
    });
  });

  it('a child that never answers the handshake is stopped with the reason after the handshake timeout, then restarted', async () => {
    const { supervisor, logs, worker } = start('silent', 500);
    await waitFor(() => supervisor.restarts[0]! >= 1, REFUSED_WITHIN_MS, 'the restart');
    expect(worker.state).toBe('dead');
    expect(logs.join('\n')).toContain(
      "handshake failed: worker 0 did not answer 'init' within 500 ms",
    );
    expect(logs.join('\n')).toMatch(/exited \(handshake failed: .*\); restarting/);
    expect(supervisor.incompatibility).toBeUndefined();
  });

  it('a malformed answer is reported with its parse issue', async () => {
    const { supervisor, logs } = start('malformed');
    await waitFor(() => supervisor.restarts[0]! >= 1, REFUSED_WITHIN_MS, 'the restart');
    expect(logs.join('\n')).toMatch(/Invalid 'ready' message: choice\.ep: /);
  });
});
