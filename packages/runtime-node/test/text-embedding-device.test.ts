// The engine's device path for the text embedding (issue #13, the SD-Turbo pattern), on the
// tiny real pipelines. onnxruntime-node has no GPU buffers on CPU, so the device here is a
// stand-in at the runner seam: it holds the real outputs behind opaque handles and concatenates
// them as a GPU copy would (bytes end to end). Where the engine read a handle's values, fed a
// download, or forgot to dispose one, these tests see it; the WebGPU runner itself is e2e's.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  executeStep,
  isDeviceTensor,
  parsePipeline,
  resolveGenerationParams,
  type DeviceTensor,
  type DeviceTensorRunner,
  type ExecuteOptions,
  type ModelRunner,
  type PartTensor,
  type RgbaImage,
  type StepInput,
  type TypedTensor,
} from '@loupe/shared';
import type { SessionRunner } from '../src';
import { useTinyDiffusion } from './support/tiny-diffusion';
import type { TinyPipelineId } from '../../../tools/models/src/diffusion/tiny-pipelines';

const tiny = useTinyDiffusion();
const assetsOf = (id: string) => tiny.assetsOf(id);
let cpu: SessionRunner;
beforeAll(() => (cpu = tiny.runner));

/** The real runner with a device beside it; `failUnetCall` makes that UNet call throw. */
function deviceRunner(failUnetCall?: number) {
  const live = new Map<DeviceTensor, TypedTensor>();
  const log = { concats: 0, disposed: 0, unetCalls: 0, unetFedHandle: 0 };
  const handle = (t: TypedTensor): DeviceTensor => {
    const h: DeviceTensor = { location: 'device', type: t.type, dims: t.dims };
    live.set(h, t);
    return h;
  };
  const device: DeviceTensorRunner = {
    location: 'gpu-buffer',
    async runPartOnDevice(model, part, feeds, keep) {
      if (part === 'unet') {
        log.unetCalls++;
        if (isDeviceTensor(feeds.encoder_hidden_states!)) log.unetFedHandle++;
        if (log.unetCalls === failUnetCall) throw new Error('device lost');
      }
      const plain: Record<string, TypedTensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        const held = isDeviceTensor(t) ? live.get(t) : t;
        if (!held) throw new Error(`${name} was fed after its dispose`);
        plain[name] = held;
      }
      const out = await cpu.runPart(model, part, plain);
      const result: Record<string, PartTensor> = {};
      for (const [name, t] of Object.entries(out))
        result[name] = keep.includes(name) ? handle(t) : t;
      return result;
    },
    async concat(parts) {
      log.concats++;
      const held = parts.map((p) => live.get(p)!);
      const Ctor = held[0]!.data.constructor as new (n: number) => Float32Array;
      const data = new Ctor(held.reduce((n, t) => n + t.data.length, 0));
      let at = 0;
      for (const t of held) {
        data.set(t.data as Float32Array, at);
        at += t.data.length;
      }
      const dims = [held.reduce((n, t) => n + t.dims[0]!, 0), ...held[0]!.dims.slice(1)];
      return handle({ type: held[0]!.type, data, dims } as TypedTensor);
    },
    dispose(t) {
      if (live.delete(t)) log.disposed++;
    },
  };
  const runner: ModelRunner = {
    run: (model, feeds, signal) => cpu.run(model, feeds, signal as AbortSignal),
    runPart: (model, part, feeds, signal) => {
      if (part === 'unet') log.unetCalls++;
      return cpu.runPart(model, part, feeds, signal as AbortSignal);
    },
    device,
  };
  return { runner, live, log };
}

async function run(
  runner: ModelRunner,
  op: StepInput['op'],
  model: TinyPipelineId,
  params: Record<string, unknown>,
  image: RgbaImage | null = null,
  options: Partial<ExecuteOptions> = {},
) {
  const parsed = parsePipeline([{ op, params: { model, prompt: 'a red fox', ...params } }]);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const step = resolveGenerationParams(parsed.value[0]!, (await assetsOf(model)).info);
  return executeStep(image, step, { runner, diffusionAssets: assetsOf, ...options });
}

const grey = (w: number, h: number): RgbaImage => ({
  width: w,
  height: h,
  data: Uint8Array.from({ length: w * h * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 7) % 256)),
});

describe('the text embedding kept on the device', () => {
  it.each(['optimum-fp32', 'optimum-fp16'] as const)(
    '%s, CFG: the same bytes as the CPU path, every UNet call fed the handle, one batch, all disposed',
    async (model) => {
      const params = { seed: 9, steps: 3, guidance: 7.5, negativePrompt: 'blurry' };
      const plain = await run(cpu, 'generate', model, params);
      const { runner, live, log } = deviceRunner();
      const kept = await run(runner, 'generate', model, params);
      expect(Buffer.compare(kept.image.data, plain.image.data)).toBe(0);
      expect(plain.generation?.textEmbedding).toBe('cpu');
      expect(kept.generation?.textEmbedding).toBe('gpu-buffer');
      expect(log.unetCalls).toBeGreaterThanOrEqual(3);
      expect(log.unetFedHandle).toBe(log.unetCalls);
      // The [negative, positive] batch is built once per run, not once per step.
      expect(log.concats).toBe(1);
      // Two prompts and their batch.
      expect(log.disposed).toBe(3);
      expect(live.size).toBe(0);
    },
  );

  it('instruct (three rows: [text+image, image, none]) gives the same bytes', async () => {
    const params = { seed: 5, steps: 2, prompt: 'make it snow' };
    const plain = await run(cpu, 'instruct', 'optimum-instruct', params, grey(64, 64));
    const { runner, live, log } = deviceRunner();
    const kept = await run(runner, 'instruct', 'optimum-instruct', params, grey(64, 64));
    expect(Buffer.compare(kept.image.data, plain.image.data)).toBe(0);
    expect(log.unetFedHandle).toBe(log.unetCalls);
    expect(live.size).toBe(0);
  });

  it('disposes every device tensor when the run is cancelled or the device fails', async () => {
    const cancelled = deviceRunner();
    const controller = new AbortController();
    const error = await run(
      cancelled.runner,
      'generate',
      'optimum-fp32',
      { seed: 3, steps: 6 },
      null,
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done === 2) controller.abort();
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(cancelled.log.disposed).toBeGreaterThan(0);
    expect(cancelled.live.size).toBe(0);

    const failing = deviceRunner(2);
    const failed = await run(failing.runner, 'generate', 'optimum-fp32', {
      seed: 3,
      steps: 4,
    }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'INFERENCE_FAILED', message: /device lost/ });
    expect(failing.log.disposed).toBeGreaterThan(0);
    expect(failing.live.size).toBe(0);
  });
});
