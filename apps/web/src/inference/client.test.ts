import { LoupeError, PROTOCOL_VERSION, type WorkerRequest } from '@loupe/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProtocolWorker } from '../services/testing/protocol-worker';
import { CALL_TIMEOUT_MS, createBrowserInference } from './client';

/**
 * The far side of the page's worker boundary, standing in for a worker script of another build
 * (Node has no Web Worker). `answer` is what that build would post back for each request.
 */
class OtherBuildWorker extends EventTarget {
  readonly received: unknown[] = [];
  terminated = false;
  constructor(private readonly answer: (request: WorkerRequest) => unknown) {
    super();
  }
  postMessage(message: WorkerRequest) {
    this.received.push(message);
    const reply = this.answer(message);
    if (reply !== undefined)
      queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: reply })));
  }
  terminate() {
    this.terminated = true;
  }
}

function clientOn(worker: OtherBuildWorker) {
  return createBrowserInference({ createWorker: () => worker as unknown as Worker });
}

async function failure(call: Promise<unknown>): Promise<LoupeError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof LoupeError))
    throw new Error(`expected a LoupeError, got ${String(error)}`);
  return error;
}

describe('browser inference client: a worker of another build', () => {
  afterEach(() => vi.useRealTimers());

  it('answering in an older protocol is refused at once, told why, and stopped', async () => {
    const old = PROTOCOL_VERSION - 1;
    const worker = new OtherBuildWorker((req) => ({
      v: old,
      id: req.id,
      type: 'cache-list',
      models: [],
    }));
    const error = await failure(clientOn(worker).cachedModels());
    expect(error.code).toBe('INCOMPATIBLE_PROTOCOL');
    expect(error.message).toContain(
      `Received protocol ${old}; this side speaks protocol ${PROTOCOL_VERSION}`,
    );
    expect(worker.received.at(-1)).toMatchObject({
      v: PROTOCOL_VERSION,
      type: 'incompatible',
      received: old,
    });
    expect(worker.terminated).toBe(true);
  });

  it('refusing our request with `incompatible` fails the call with both versions named', async () => {
    const worker = new OtherBuildWorker((req) => ({
      v: PROTOCOL_VERSION + 1,
      type: 'incompatible',
      id: req.id,
      received: PROTOCOL_VERSION,
      message: 'refused',
    }));
    const error = await failure(clientOn(worker).probe());
    expect(error.code).toBe('INCOMPATIBLE_PROTOCOL');
    expect(error.message).toContain(
      `speaks protocol ${PROTOCOL_VERSION + 1} and refused protocol ${PROTOCOL_VERSION}`,
    );
    // Its own refusal is not answered with another one.
    expect(worker.received.map((m) => (m as { type: string }).type)).toEqual(['probe']);
  });

  it('sending a malformed answer fails that call with the parse issue', async () => {
    const worker = new OtherBuildWorker((req) => ({
      v: PROTOCOL_VERSION,
      id: req.id,
      type: 'cache-cleared',
      removed: -1,
    }));
    const error = await failure(clientOn(worker).clearCache());
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain("Invalid 'cache-cleared' message: removed:");
  });

  it('never answering fails the call once its timeout has passed, not before', async () => {
    vi.useFakeTimers();
    const worker = new OtherBuildWorker(() => undefined);
    const call = failure(clientOn(worker).probe());
    let settled = false;
    void call.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(CALL_TIMEOUT_MS.probe - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await call;
    expect(error.code).toBe('INFERENCE_TIMEOUT');
    expect(error.message).toBe("The inference worker did not answer 'probe' within 30 s");
  });
});

describe('browser inference client: dispose', () => {
  it('stops the worker mid-run at once, and the next call starts a fresh one', async () => {
    const workers: ProtocolWorker[] = [];
    // A worker of this build that answers probes but never finishes a run, like a tile that does not end.
    const client = createBrowserInference({
      createWorker: () => {
        const w = new ProtocolWorker();
        workers.push(w);
        return w as unknown as Worker;
      },
    });
    const run = failure(
      client.run({ width: 1, height: 1, data: new Uint8Array(4) }, [{ op: 'invert', params: {} }]),
    );
    client.dispose();
    expect((await run).code).toBe('CANCELLED');
    expect(workers[0]!.terminated).toBe(true);
    const device = await client.probe();
    expect(workers).toHaveLength(2);
    expect(workers[1]!.terminated).toBe(false);
    expect(device.hardwareConcurrency).toBe(2);
  });
});

describe('browser inference client: interrupt (a cancelled run)', () => {
  const picture = () => ({ width: 1, height: 1, data: Uint8Array.of(10, 20, 30, 255) });
  const inverted = (image: { data: Uint8Array }) => ({
    width: 1,
    height: 1,
    data: Uint8Array.from(image.data, (v, i) => (i === 3 ? v : 255 - v)),
  });

  function clientOverHeldWorkers() {
    const workers: ProtocolWorker[] = [];
    const client = createBrowserInference({
      createWorker: () => {
        const w = new ProtocolWorker(inverted, { holdRuns: true });
        workers.push(w);
        return w as unknown as Worker;
      },
    });
    return { client, workers };
  }

  it('stops the worker mid-tile when the cancelled run was all it was doing', async () => {
    const { client, workers } = clientOverHeldWorkers();
    const cancel = new AbortController();
    const run = failure(
      client.run(picture(), [{ op: 'invert', params: {} }], { signal: cancel.signal }),
    );
    cancel.abort();
    client.interrupt();
    expect((await run).code).toBe('CANCELLED');
    expect(workers[0]!.terminated).toBe(true);
  });

  it("keeps the worker while another caller's run is in flight: that run still ends with its result", async () => {
    const { client, workers } = clientOverHeldWorkers();
    const editor = new AbortController();
    const cancelled = failure(
      client.run(picture(), [{ op: 'invert', params: {} }], { signal: editor.signal }),
    );
    const batchItem = client.run(picture(), [{ op: 'invert', params: {} }]);
    editor.abort();
    client.interrupt();
    expect((await cancelled).code).toBe('CANCELLED');
    expect(workers[0]!.terminated).toBe(false);
    // The worker was told to stop the cancelled run at its next tile.
    expect(workers[0]!.cancels).toEqual([workers[0]!.runs[0]!.id]);
    workers[0]!.answerRun();
    workers[0]!.answerRun();
    const { image } = await batchItem;
    expect([...image.data]).toEqual([245, 235, 225, 255]);
    expect(workers).toHaveLength(1);
  });
});

describe('browser inference client: a run that made several pictures', () => {
  it("passes a count > 1 result's variations on, in order, beside its first picture", async () => {
    const picture = (v: number) => ({ width: 1, height: 1, data: new Uint8Array(4).fill(v) });
    const metadata = {
      steps: [{ op: 'invert', params: {} }],
      models: [],
      placement: 'browser',
      ep: 'wasm',
      device: 'WASM, 1 thread',
      timings: { queueMs: 0, decodeMs: 0, inferMs: 1, encodeMs: 0, totalMs: 1 },
      tiles: 1,
      input: { width: 1, height: 1 },
      output: { width: 1, height: 1 },
    };
    const worker = new OtherBuildWorker((req) =>
      req.type === 'run'
        ? {
            v: PROTOCOL_VERSION,
            id: req.id,
            type: 'result',
            image: picture(10),
            variations: [picture(20), picture(30)],
            metadata,
          }
        : undefined,
    );
    const out = await clientOn(worker).run(null, [{ op: 'invert', params: {} }]);
    expect(out.image.data[0]).toBe(10);
    expect(out.variations?.map((v) => v.data[0])).toEqual([20, 30]);
  });
});
