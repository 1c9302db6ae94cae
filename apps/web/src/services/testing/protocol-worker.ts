import {
  PROTOCOL_VERSION,
  type EditMetadata,
  type RgbaImage,
  type Step,
  type WorkerRequest,
} from '@loupe/shared';

/** The page's runs always carry a picture here (no generative runs go through this double). */
type RunRequest = Extract<WorkerRequest, { type: 'run' }> & {
  image: NonNullable<Extract<WorkerRequest, { type: 'run' }>['image']>;
};
type PreviewRequest = Extract<WorkerRequest, { type: 'preview' }>;

/**
 * The far side of the page's worker boundary (Node has no Web Worker): it receives the real
 * protocol messages the inference client posts and answers a run or a preview with `answer`,
 * or never, like a tile that does not end. `terminate()` is what the client calls to kill it.
 * With `holdPreviews`, previews wait until `answerPreview()`, as behind a slow one in flight;
 * with `holdRuns`, runs wait until `answerRun()`.
 */
export class ProtocolWorker extends EventTarget {
  readonly runs: RunRequest[] = [];
  readonly previews: PreviewRequest[] = [];
  /** Targets of the cancels received. */
  readonly cancels: string[] = [];
  terminated = false;
  private readonly held: PreviewRequest[] = [];
  private readonly heldRuns: RunRequest[] = [];

  constructor(
    private readonly answer?: (image: RgbaImage, request: RunRequest | PreviewRequest) => RgbaImage,
    private readonly options: { holdPreviews?: boolean; holdRuns?: boolean } = {},
  ) {
    super();
  }

  /** Answers the oldest run held back; false when none is. */
  answerRun(): boolean {
    const next = this.heldRuns.shift();
    if (!next) return false;
    this.replyRun(next);
    return true;
  }

  /** Answers the oldest preview held back and not cancelled; false when none is. */
  answerPreview(): boolean {
    const next = this.held.shift();
    if (!next) return false;
    this.replyPreview(next);
    return true;
  }

  postMessage(message: WorkerRequest) {
    if (this.terminated) return;
    if (message.type === 'probe') return this.reply(probeAnswer(message.id));
    if (message.type === 'cancel') {
      this.cancels.push(message.target);
      // Like the worker's run registry: a cancelled preview never answers.
      const at = this.held.findIndex((p) => p.id === message.target);
      if (at >= 0) this.held.splice(at, 1);
      return;
    }
    if (message.type === 'preview') {
      this.previews.push(message);
      if (this.options.holdPreviews) this.held.push(message);
      else this.replyPreview(message);
      return;
    }
    if (message.type !== 'run' || !message.image) return;
    this.runs.push(message as RunRequest);
    if (this.options.holdRuns) this.heldRuns.push(message as RunRequest);
    else this.replyRun(message as RunRequest);
  }

  private replyRun(message: RunRequest) {
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

  private replyPreview(message: PreviewRequest) {
    if (!this.answer) return;
    this.reply({
      v: PROTOCOL_VERSION,
      id: message.id,
      type: 'preview-result',
      image: this.answer(message.image, message),
      ep: message.ep,
    });
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
