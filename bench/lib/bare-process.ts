// Bare inference in a process of its own, started the way the server starts its inference child
// (a fresh Node process, one runner, nothing else loaded): the reference the server's HTTP time is
// divided by. Measured in the bench's own process after other phases (libvips encodes, released
// sessions), the same inference ran 17–34% slower than the server's child did in the same rounds,
// which made the server look cheaper than it is (docs/benchmarks.md 4b).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { MODELS, esrganModelId, tileSizeForEp } from '@loupe/shared';
import { engineUpscaleRgba, toRgba } from './loupe-engine';
import { loadManifest, modelFile } from './models';
import { OrtRunner } from './ort';

const VERSION = 1;
const UpscaleRequest = z.object({
  v: z.literal(VERSION),
  type: z.literal('upscale'),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  rgb: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'RGB bytes'),
  model: z.enum(['slim', 'medium', 'thick']),
  scale: z.union([z.literal(2), z.literal(4)]),
});
const ToBare = z.discriminatedUnion('type', [
  UpscaleRequest,
  z.object({ v: z.literal(VERSION), type: z.literal('stop') }),
]);
const FromBare = z.discriminatedUnion('type', [
  z.object({ v: z.literal(VERSION), type: z.literal('done'), inferMs: z.number() }),
  z.object({ v: z.literal(VERSION), type: z.literal('error'), message: z.string() }),
]);
type FromBare = z.infer<typeof FromBare>;

export type BareUpscale = Omit<z.infer<typeof UpscaleRequest>, 'v' | 'type'>;

/** The parent's handle: one request at a time, answered with the child's own inference time. */
export class BareProcess {
  private readonly child: ChildProcess;
  private waiting: ((m: FromBare) => void) | undefined;

  constructor() {
    this.child = fork(fileURLToPath(import.meta.url), ['--bare-child'], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (raw) => {
      const m = FromBare.parse(raw);
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(m);
    });
    this.child.on('exit', (code) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.({ v: VERSION, type: 'error', message: `bare process exited (${code})` });
    });
  }

  /** Inference milliseconds as the child timed them (no IPC in them). */
  async upscale(request: BareUpscale): Promise<number> {
    if (this.waiting) throw new Error('one request at a time');
    const answer = new Promise<FromBare>((resolve) => (this.waiting = resolve));
    this.child.send({ v: VERSION, type: 'upscale', ...request });
    const m = await answer;
    if (m.type === 'error') throw new Error(m.message);
    return m.inferMs;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.send({ v: VERSION, type: 'stop' });
    });
  }
}

async function serve(): Promise<void> {
  const manifest = loadManifest();
  if (!manifest) throw new Error('public/models/manifest.json is missing: run `pnpm models` first');
  const runner = new OrtRunner((id) => modelFile(manifest, id));
  const send = (m: FromBare) => process.send!(m);
  process.on('message', (raw) => {
    const m = ToBare.parse(raw);
    if (m.type === 'stop') {
      void runner.release().then(() => process.exit(0));
      return;
    }
    const { width, height, rgb, model, scale } = m;
    // The tile the server's child picks for this model and size on the CPU.
    const tile = tileSizeForEp('cpu')?.(MODELS[esrganModelId(model, scale)], { width, height });
    const image = toRgba({ width, height, channels: 3, data: rgb });
    const start = performance.now();
    engineUpscaleRgba(runner, image, model, scale, tile).then(
      () => send({ v: VERSION, type: 'done', inferMs: performance.now() - start }),
      (e: unknown) =>
        send({ v: VERSION, type: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
  });
}

if (process.argv.includes('--bare-child')) void serve();
