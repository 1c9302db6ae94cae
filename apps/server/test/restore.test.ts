import { mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, JobSchema, ModelsResponseSchema, ManifestSchema } from '@loupe/shared';
import { decodeRgba, post, readEvents, startServer, type TestServer } from './support/server';

// A real photo (a hibiscus, 1024²) shipped with @upscalerjs/esrgan-thick, which tools/models installs.
const PHOTO = join(
  import.meta.dirname,
  '../../../tools/models/node_modules/@upscalerjs/esrgan-thick/assets/samples/8x/result.png',
);
const MODELS_DIR = resolve(import.meta.dirname, '../../../public/models');

type Rgba = { width: number; height: number; data: Buffer };

/** PSNR of the RGB channels in dB. */
function psnr(a: Rgba, b: Rgba): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4)
    for (let c = 0; c < 3; c++, n++) sum += (a.data[i + c]! - b.data[i + c]!) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / n));
}

/** A piece of the photo with a transparent-to-opaque ramp down its left 32 columns. */
async function piece(left: number, top: number, width: number, height: number): Promise<Rgba> {
  const { data, info } = await sharp(await readFile(PHOTO))
    .extract({ left, top, width, height })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < 32; x++) data[4 * (y * width + x) + 3] = 64 + 6 * x;
  return { width: info.width, height: info.height, data };
}

/** The picture with seeded Gaussian noise (σ = 25 levels) on its colour. */
function noisy(image: Rgba): Rgba {
  let state = 12345;
  const uniform = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) + 1) / 2 ** 32;
  const data = Buffer.from(image.data);
  for (let i = 0; i < data.length; i++) {
    if (i % 4 === 3) continue;
    const g = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    data[i] = Math.max(0, Math.min(255, Math.round(data[i]! + 25 * g)));
  }
  return { ...image, data };
}

const png = (image: Rgba) =>
  sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .png()
    .toBuffer();

const alphaOf = (image: Rgba) => image.data.filter((_, i) => i % 4 === 3);

describe('restore (MAXIM) on the server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('denoises a noisy photo smaller than a tile (mirrored out to 256², one tile) and keeps its alpha', async () => {
    const clean = await piece(400, 360, 224, 160);
    const input = noisy(clean);
    const created = await post(server.base, '/api/jobs', {
      image: await png(input),
      op: 'restore',
      params: { task: 'denoise' },
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const events = await readEvents(`${server.base}/api/jobs/${id}/events`);
    expect(events.at(-1)?.event).toBe('completed');
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data);
    expect(progress.at(-1)).toMatchObject({ progress: { done: 1, total: 1, unit: 'tile' } });
    const job = JobSchema.parse(await (await fetch(`${server.base}/api/jobs/${id}`)).json());
    expect(job.metadata?.models).toEqual(['maxim-denoising']);
    const out = await decodeRgba(
      new Uint8Array(await (await fetch(`${server.base}/api/jobs/${id}/result`)).arrayBuffer()),
    );
    expect(out).toMatchObject({ width: 224, height: 160 });
    expect(alphaOf(out)).toEqual(alphaOf(input));
    const before = psnr(input, clean);
    const after = psnr(out, clean);
    console.log(`maxim-denoising: noisy ${before.toFixed(2)} dB → restored ${after.toFixed(2)} dB`);
    expect(after).toBeGreaterThan(before + 3);
  });

  it('deblurs a motion-blurred photo wider than a tile (two tiles) through /api/edit', async () => {
    // The whole photo at 320² has fine detail for a 9 px horizontal motion blur to take away.
    const { data } = await sharp(await readFile(PHOTO))
      .resize(320, 320)
      .extract({ left: 0, top: 32, width: 320, height: 256 })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const original: Rgba = { width: 320, height: 256, data };
    const blurred = await decodeRgba(
      await sharp(await png(original))
        // 9×3 with only the middle row set: libvips takes no 1-row kernels.
        .convolve({
          width: 9,
          height: 3,
          kernel: [
            ...Array<number>(9).fill(0),
            ...Array<number>(9).fill(1),
            ...Array<number>(9).fill(0),
          ],
        })
        .png()
        .toBuffer(),
    );
    const res = await post(server.base, '/api/edit', {
      image: await png(blurred),
      op: 'restore',
      params: { task: 'deblur' },
    });
    expect(res.status).toBe(200);
    const out = await decodeRgba(new Uint8Array(await res.arrayBuffer()));
    expect(out).toMatchObject({ width: 320, height: 256 });
    const before = psnr(blurred, original);
    const after = psnr(out, original);
    console.log(
      `maxim-deblurring: blurred ${before.toFixed(2)} dB → restored ${after.toFixed(2)} dB`,
    );
    expect(after).toBeGreaterThan(before + 3);
  });

  it('answers 400 on the task for a restoration this install did not build, and lists it as not installed', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'loupe-maxim-subset-'));
    const manifest = ManifestSchema.parse(
      JSON.parse(await readFile(join(MODELS_DIR, 'manifest.json'), 'utf8')),
    );
    for (const f of await readdir(MODELS_DIR))
      if (f.endsWith('.onnx')) await symlink(join(MODELS_DIR, f), join(bare, f));
    const subset = {
      ...manifest,
      models: manifest.models.filter((m) => m.id !== 'maxim-deraining'),
    };
    await writeFile(join(bare, 'manifest.json'), JSON.stringify(subset));
    const other = await startServer({ LOUPE_MODELS_DIR: bare, LOUPE_WORKERS: '1' });
    try {
      const res = await post(other.base, '/api/edit', {
        image: await png(await piece(0, 0, 64, 64)),
        op: 'restore',
        params: { task: 'derain' },
      });
      expect(res.status).toBe(400);
      const error = ErrorBodySchema.parse(await res.json()).error;
      expect(error.fields).toEqual([
        {
          path: 'params.task',
          message: expect.stringMatching(/MAXIM deraining is not installed.*pnpm models/),
        },
      ]);
      const models = ModelsResponseSchema.parse(
        await (await fetch(`${other.base}/api/models`)).json(),
      );
      expect(models.notInstalled).toEqual([
        expect.objectContaining({
          id: 'maxim-deraining',
          install: expect.stringContaining('pnpm models'),
        }),
      ]);
      expect(models.models.map((m) => m.id)).toContain('maxim-deblurring');
    } finally {
      await other.close();
      await rm(bare, { recursive: true, force: true });
    }
  });
});
