// One model's first runs in a fresh Node process, as the server's inference child meets them: the
// session opened, then the same input run several times, each run timed, and the process's peak
// resident memory read at the end. A process per measurement, since onnxruntime's arena and the
// memory pattern it plans live as long as the process, and peak RSS only ever grows.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { MODELS, MODEL_IDS, type ModelId } from '@loupe/shared';
import { photoRgb } from './images';
import { toTensor } from './loupe-raw';
import { loadManifest, modelFile } from './models';
import { DEFAULT_SETTINGS, createSession, releaseSession, runFloat } from './ort';

const VERSION = 1;
const Request = z.object({
  v: z.literal(VERSION),
  model: z.custom<ModelId>((v) => MODEL_IDS.includes(v as ModelId), 'a model id'),
  side: z.number().int().positive(),
  runs: z.number().int().min(2),
  memoryPattern: z.boolean(),
});
const Answer = z.discriminatedUnion('type', [
  z.object({
    v: z.literal(VERSION),
    type: z.literal('done'),
    openMs: z.number(),
    runsMs: z.array(z.number()),
    peakRssMb: z.number(),
  }),
  z.object({ v: z.literal(VERSION), type: z.literal('error'), message: z.string() }),
]);

export interface FreshRuns {
  readonly openMs: number;
  /** Run i's milliseconds, the first run first. */
  readonly runsMs: readonly number[];
  /** The process's largest resident set, session and runs included (MB). */
  readonly peakRssMb: number;
}

/**
 * Opens `model` in a new process, on the server's settings with the memory pattern as given, and
 * runs a `side`² input (or the model's fixed input) `runs` times. The input is the bench photo,
 * normalised as the model takes it.
 */
export function freshRuns(
  model: ModelId,
  side: number,
  runs: number,
  memoryPattern: boolean,
): Promise<FreshRuns> {
  const request = Request.parse({ v: VERSION, model, side, runs, memoryPattern });
  const child = fork(fileURLToPath(import.meta.url), ['--warmup-child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (raw) => {
      const m = Answer.parse(raw);
      child.disconnect();
      if (m.type === 'error') reject(new Error(m.message));
      else resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`warm-up process exited (${code})`)));
    child.send(request);
  });
}

async function serve(raw: unknown): Promise<z.infer<typeof Answer>> {
  const { model, side, runs, memoryPattern } = Request.parse(raw);
  const manifest = loadManifest();
  if (!manifest) throw new Error('public/models/manifest.json is missing: run `pnpm models`');
  const fixed = MODELS[model].fixedInputSize;
  const [width, height] = fixed ? [fixed.width, fixed.height] : [side, side];
  const input = {
    data: toTensor(await photoRgb(width, height), model),
    dims: [1, 3, height, width],
  };
  let t = performance.now();
  const session = await createSession(modelFile(manifest, model), {
    ...DEFAULT_SETTINGS,
    memoryPattern,
  });
  const openMs = performance.now() - t;
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await runFloat(session, { [MODELS[model].input.name]: input });
    runsMs.push(performance.now() - t);
  }
  await releaseSession(session);
  // maxRSS is in kilobytes.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  return { v: VERSION, type: 'done', openMs, runsMs, peakRssMb };
}

if (process.argv.includes('--warmup-child')) {
  process.once('message', (raw) => {
    serve(raw).then(
      (answer) => process.send!(answer),
      (err: unknown) =>
        process.send!({
          v: VERSION,
          type: 'error',
          message: err instanceof Error ? err.message : String(err),
        }),
    );
  });
}
