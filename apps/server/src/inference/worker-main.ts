// Entry of an inference child process (bundled to dist/worker.js). It owns the onnxruntime
// sessions for one device and runs the shared engine; the HTTP process never touches onnxruntime
// because run() is a synchronous native call that would freeze every request.
import {
  LoupeError,
  PROTOCOL_VERSION,
  RunRegistry,
  ToChildSchema,
  receive,
  runFailurePayload,
  toErrorPayload,
  type FromChild,
  type IncompatibleMessage,
  type ModelManifest,
  type ParsedToChild,
  type ResidencyAction,
} from '@loupe/shared';
import {
  ModelResidency,
  chooseEp,
  onnxruntimeVersion,
  probeEp,
  readManifest,
  useDevice,
} from '@loupe/runtime-node';
import { withParametersText } from '@loupe/runtime-node/image-codec';
import { ChildDiffusion } from './child-diffusion';
import { discardEncoded, encodeForTransport } from './encoded-transport';
import { unpackPixels } from './pixel-transport';
import { PreviewSender } from './preview-sender';
import type { EncodedTransport, EpChoice, WorkerInit } from './protocol';
import { runPipeline } from './run-pipeline';

/** The handshake that started this child: standing reports (residency) name it. */
let initId: string | undefined;
let init: WorkerInit | undefined;
let choice: EpChoice | undefined;
let residency: ModelResidency | undefined;
let manifest: ModelManifest | undefined;
let diffusion: ChildDiffusion | undefined;
const runs = new RunRegistry(() => new AbortController());

function send(message: FromChild | IncompatibleMessage): void {
  process.send?.(message);
}

let snapshotQueued = false;
/** Changes come in bursts (load, run, release): one report per turn of the event loop. */
function reportResidency(): void {
  if (snapshotQueued || !residency || !initId) return;
  snapshotQueued = true;
  setImmediate(flushResidency);
}

/**
 * Sends the queued report now. Called before a run's answer, so the parent never answers a job
 * while still holding a report that says its model is in use (/api/gpu/status right after a
 * result would read inUse 1: seen under load, when the answer overtook the queued report).
 */
function flushResidency(): void {
  if (!snapshotQueued) return;
  snapshotQueued = false;
  if (residency && initId)
    send({ v: PROTOCOL_VERSION, id: initId, type: 'residency', models: snapshot() });
}

/** The built-in models, then the diffusion folders this child has run, one entry each. */
function snapshot() {
  return [...(residency?.snapshot() ?? []), ...(diffusion?.snapshot() ?? [])];
}

/** A residency action on both kinds of model; `models` may name either. */
async function applyResidency(action: ResidencyAction, models?: string[]) {
  const builtIn = residency
    ? await residency.apply(action, models)
    : { affected: [], skippedInUse: [] };
  const folders = diffusion
    ? await diffusion.apply(action, models)
    : { affected: [], skippedInUse: [] };
  return {
    affected: [...builtIn.affected, ...folders.affected],
    skippedInUse: [...builtIn.skippedInUse, ...folders.skippedInUse],
  };
}

async function start(id: string, options: WorkerInit): Promise<void> {
  initId = id;
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
  diffusion = new ChildDiffusion(residency.executionProvider, reportResidency);
  const idleMs = options.idleOffloadSeconds * 1000;
  if (idleMs > 0) {
    const offloadIdle = () => {
      void residency?.offloadIdle(idleMs);
      void diffusion?.sessions.offloadIdle(idleMs);
    };
    setInterval(offloadIdle, Math.min(idleMs / 2, 5000)).unref();
  }
  // Residency first: the parent must never see a ready child with no models listed.
  send({ v: PROTOCOL_VERSION, id, type: 'residency', models: snapshot() });
  send({ v: PROTOCOL_VERSION, id, type: 'ready', choice, onnxruntime: onnxruntimeVersion });
}

/** Runs one job to its answer, `done` or `error`: never throws. */
async function run(
  message: Extract<ParsedToChild, { type: 'run' }>,
  signal: AbortSignal,
): Promise<void> {
  const { id } = message;
  const previews = new PreviewSender((step, total, image) =>
    send({ v: PROTOCOL_VERSION, id, type: 'preview', step, total, image }),
  );
  try {
    if (!residency || !init || !manifest || !diffusion)
      throw new LoupeError('NOT_READY', 'worker not initialised');
    await diffusion.use(message.diffusion ?? {});
    const outcome = await runPipeline({
      image: message.image ? await unpackPixels(message.image) : undefined,
      steps: message.steps,
      ...(message.mask ? { mask: message.mask } : {}),
      residency,
      manifest,
      modelsDir: init.modelsDir,
      diffusion: {
        sessions: diffusion.sessions,
        assets: diffusion.assetsOf,
        paths: diffusion.pathOf,
      },
      signal,
      onProgress: (progress) => send({ v: PROTOCOL_VERSION, id, type: 'progress', progress }),
      onPreview: (step, total, image) => previews.push(step, total, image),
      onDeviceLost: (reason) =>
        send({ v: PROTOCOL_VERSION, id, type: 'device-lost', message: reason }),
    });
    const { image, images = [image], ...rest } = outcome;
    const encodeStart = performance.now();
    const encoded: EncodedTransport[] = [];
    for (const [k, picture] of images.entries()) {
      if (signal.aborted) break;
      const output = withParametersText(message.output, rest.generation, picture, k);
      encoded.push(await encodeForTransport(picture, output, init.tempDir, init.inlineMaxBytes));
    }
    const encodeMs = performance.now() - encodeStart;
    if (signal.aborted) {
      await Promise.all(encoded.map(discardEncoded));
      throw new LoupeError('CANCELLED');
    }
    const [result, ...more] = encoded as [EncodedTransport, ...EncodedTransport[]];
    await previews.settled();
    await offloadAfterJob();
    flushResidency();
    send({
      v: PROTOCOL_VERSION,
      id,
      type: 'done',
      outcome: {
        ...rest,
        result,
        ...(more.length ? { more } : {}),
        width: image.width,
        height: image.height,
        encodeMs,
      },
    });
  } catch (e) {
    previews.drop();
    await offloadAfterJob();
    flushResidency();
    send({ v: PROTOCOL_VERSION, id, type: 'error', error: runFailurePayload(e, signal) });
  }
}

/**
 * LOUPE_OFFLOAD_AFTER_JOB: done before the answer, so the worker is not handed its next job
 * while offloading and /api/gpu/status read right after a result already shows the offload.
 */
async function offloadAfterJob(): Promise<void> {
  if (init?.offloadAfterJob) await applyResidency('offload');
}

async function handle(message: ParsedToChild): Promise<void> {
  const { id } = message;
  switch (message.type) {
    case 'init':
      return start(id, message.init);
    case 'run':
      return runs.run(message.id, (signal) => run(message, signal));
    case 'cancel':
      runs.cancel(message.target);
      return;
    case 'residency': {
      const result = await applyResidency(message.action, message.models);
      send({ v: PROTOCOL_VERSION, id, type: 'residency-done', ...result });
      return;
    }
    case 'probe': {
      const ep = choice?.ep === 'cuda' || choice?.ep === 'webgpu' ? choice.ep : 'cpu';
      const probe = await probeEp(ep);
      if (probe.ok && residency && residency.executionProvider !== ep) await residency.switchEp(ep);
      send({
        v: PROTOCOL_VERSION,
        id,
        type: 'probe-done',
        ok: probe.ok,
        message: probe.ok ? `probe passed on ${ep} in ${probe.ms.toFixed(1)} ms` : probe.message,
      });
      return;
    }
  }
}

process.on('message', (raw: unknown) => {
  const receipt = receive(ToChildSchema, raw, 'INVALID_REQUEST');
  if (!receipt.ok) {
    // A parent of another build gets `incompatible` naming both versions and reports it; one
    // that refused us is about to close the channel. Any other bad request fails with its issue.
    if (receipt.reply) return send(receipt.reply);
    if (receipt.id && receipt.error.code !== 'INCOMPATIBLE_PROTOCOL')
      return send({
        v: PROTOCOL_VERSION,
        id: receipt.id,
        type: 'error',
        error: receipt.error.toPayload(),
      });
    console.error(`[loupe worker] ${receipt.error.message}`);
    return;
  }
  const message = receipt.message;
  handle(message).catch((e: unknown) =>
    send({ v: PROTOCOL_VERSION, id: message.id, type: 'error', error: toErrorPayload(e) }),
  );
});

// The supervisor is gone (crash or kill -9 of the server, or it refused this child): nothing left to serve.
process.on('disconnect', () => process.exit(0));
