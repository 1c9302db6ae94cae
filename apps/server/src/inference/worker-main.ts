// Entry of an inference child process (bundled to dist/worker.js). It owns the onnxruntime
// sessions for one device and runs the shared engine; the HTTP process never touches onnxruntime
// because run() is a synchronous native call that would freeze every request.
import { LoupeError, parsePipeline, type ModelManifest } from '@loupe/shared';
import { chooseEp, probeEp } from './ep-select';
import { readManifest } from './model-files';
import { onnxruntimeVersion, useDevice } from './ort';
import { discardEncoded, encodeForTransport } from './encoded-transport';
import { unpackPixels } from './pixel-transport';
import {
  fromWorker,
  isCurrentProtocol,
  type EpChoice,
  type FromWorker,
  type ToWorker,
  type WorkerInit,
} from './protocol';
import { ModelResidency } from './residency';
import { runPipeline } from './run-pipeline';

let init: WorkerInit | undefined;
let choice: EpChoice | undefined;
let residency: ModelResidency | undefined;
let manifest: ModelManifest | undefined;
const running = new Map<string, AbortController>();

function send(message: FromWorker): void {
  process.send?.(message);
}

let snapshotQueued = false;
function reportResidency(): void {
  if (snapshotQueued || !residency) return;
  snapshotQueued = true;
  setImmediate(() => {
    snapshotQueued = false;
    if (residency) send(fromWorker({ type: 'residency', models: residency.snapshot() }));
  });
}

async function start(options: WorkerInit): Promise<void> {
  init = options;
  useDevice(options.index);
  choice = await chooseEp(options.ep);
  try {
    manifest = await readManifest(options.modelsDir);
  } catch {
    // Reported by the parent's /ready; jobs fail with MODEL_UNAVAILABLE naming the fix.
    manifest = { version: 1, generatedAt: '', permissiveOnly: false, models: [] };
  }
  residency = new ModelResidency(
    manifest,
    options.modelsDir,
    choice.ep === 'webgpu' || choice.ep === 'cuda' ? choice.ep : 'cpu',
    reportResidency,
  );
  const idleMs = options.idleOffloadSeconds * 1000;
  if (idleMs > 0) {
    setInterval(() => void residency?.offloadIdle(idleMs), Math.min(idleMs / 2, 5000)).unref();
  }
  // Residency first: the parent must never see a ready child with no models listed.
  send(fromWorker({ type: 'residency', models: residency.snapshot() }));
  send(fromWorker({ type: 'ready', choice, onnxruntime: onnxruntimeVersion }));
}

async function run(message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const controller = new AbortController();
  running.set(message.jobId, controller);
  try {
    if (!residency || !init || !manifest)
      throw new LoupeError('NOT_READY', 'worker not initialised');
    const steps = parsePipeline(message.steps);
    if (!steps.ok) throw new LoupeError('INVALID_PARAMS', 'invalid steps', steps.issues);
    const outcome = await runPipeline({
      image: await unpackPixels(message.image),
      steps: steps.value,
      residency,
      manifest,
      modelsDir: init.modelsDir,
      signal: controller.signal,
      onProgress: (progress) =>
        send(fromWorker({ type: 'progress', jobId: message.jobId, progress })),
      onDeviceLost: (reason) => send(fromWorker({ type: 'device-lost', message: reason })),
    });
    const { image, ...rest } = outcome;
    const encodeStart = performance.now();
    const result = await encodeForTransport(
      image,
      message.output,
      init.tempDir,
      init.inlineMaxBytes,
    );
    const encodeMs = performance.now() - encodeStart;
    if (controller.signal.aborted) {
      await discardEncoded(result);
      throw new LoupeError('CANCELLED', 'cancelled');
    }
    send(
      fromWorker({
        type: 'done',
        jobId: message.jobId,
        outcome: { ...rest, result, width: image.width, height: image.height, encodeMs },
      }),
    );
  } catch (e) {
    const error = controller.signal.aborted
      ? { code: 'CANCELLED' as const, message: 'cancelled' }
      : e instanceof LoupeError
        ? { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) }
        : {
            code: 'INFERENCE_FAILED' as const,
            message: e instanceof Error ? e.message : String(e),
          };
    send(fromWorker({ type: 'failed', jobId: message.jobId, error }));
  } finally {
    running.delete(message.jobId);
  }
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'init':
      return start(message.init);
    case 'run':
      return run(message);
    case 'cancel':
      running.get(message.jobId)?.abort();
      return;
    case 'residency': {
      const result = residency
        ? await residency.apply(message.action, message.models)
        : { affected: [], skippedInUse: [] };
      send(fromWorker({ type: 'residency-done', requestId: message.requestId, ...result }));
      return;
    }
    case 'probe': {
      const ep = choice?.ep === 'cuda' || choice?.ep === 'webgpu' ? choice.ep : 'cpu';
      const probe = await probeEp(ep);
      if (probe.ok && residency && residency.executionProvider !== ep) await residency.switchEp(ep);
      send(
        fromWorker({
          type: 'probe-done',
          requestId: message.requestId,
          ok: probe.ok,
          message: probe.ok ? `probe passed on ${ep} in ${probe.ms.toFixed(1)} ms` : probe.message,
        }),
      );
      return;
    }
  }
}

process.on('message', (message: unknown) => {
  if (!isCurrentProtocol(message)) {
    // A parent from another build: refuse loudly rather than misread fields.
    console.error(
      `[loupe worker] ignoring message with protocol ${(message as { v?: unknown })?.v}; expected the current one`,
    );
    return;
  }
  handle(message as ToWorker).catch((e: unknown) => {
    console.error('[loupe worker] message handler failed', e);
  });
});

// The supervisor is gone (crash or kill -9 of the server): nothing left to serve.
process.on('disconnect', () => process.exit(0));
