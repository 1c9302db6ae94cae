import {
  PROTOCOL_VERSION,
  type EditMetadata,
  type RgbaImage,
  type Step,
  type WorkerRequest,
} from '@loupe/shared';

type RunRequest = Extract<WorkerRequest, { type: 'run' }>;

/**
 * The far side of the page's worker boundary (Node has no Web Worker): it receives the real
 * protocol messages the inference client posts and answers a run with `answer`, or never, like
 * a tile that does not end. `terminate()` is what the client calls to kill it.
 */
export class ProtocolWorker extends EventTarget {
  readonly runs: RunRequest[] = [];
  terminated = false;

  constructor(private readonly answer?: (image: RgbaImage, request: RunRequest) => RgbaImage) {
    super();
  }

  postMessage(message: WorkerRequest) {
    if (this.terminated) return;
    if (message.type === 'probe') return this.reply(probeAnswer(message.id));
    if (message.type !== 'run') return;
    this.runs.push(message);
    if (!this.answer) return;
    const image = this.answer(message.image, message);
    this.reply({
      v: PROTOCOL_VERSION,
      id: message.id,
      type: 'result',
      image,
      metadata: browserMetadata(message.steps as Step[], message.ep, message.image, image),
    });
  }

  terminate() {
    this.terminated = true;
  }

  private reply(data: unknown) {
    queueMicrotask(
      () => !this.terminated && this.dispatchEvent(new MessageEvent('message', { data })),
    );
  }
}

function probeAnswer(id: string) {
  return {
    v: PROTOCOL_VERSION,
    id,
    type: 'probe-result',
    device: {
      webgpu: null,
      deviceMemoryGb: 8,
      hardwareConcurrency: 2,
      crossOriginIsolated: true,
    },
  };
}

function browserMetadata(
  steps: readonly Step[],
  ep: 'webgpu' | 'wasm',
  input: RgbaImage,
  output: RgbaImage,
): EditMetadata {
  return {
    steps: steps.map((s) => ({ op: s.op, params: { ...s.params } })),
    models: [],
    placement: 'browser',
    ep,
    device: 'WASM, 2 threads',
    timings: { queueMs: 0, decodeMs: 0, inferMs: 1, encodeMs: 0, totalMs: 1 },
    tiles: 0,
    input: { width: input.width, height: input.height },
    output: { width: output.width, height: output.height },
  };
}
