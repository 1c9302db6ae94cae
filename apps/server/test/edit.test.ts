import { copyFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPRESSION_LEVELS,
  EditJsonResponseSchema,
  EditMetadataSchema,
  ErrorBodySchema,
  ManifestSchema,
  executePipeline,
  tileSizeForEp,
  parsePipeline,
  type ModelRunner,
} from '@loupe/shared';
import { createSession, runSession, type OrtSession } from '@loupe/runtime-node';
import { loadConfig } from '../src/config';
import {
  decodeRgba,
  pattern,
  png,
  post,
  readEvents,
  startServer,
  type TestServer,
} from './support/server';

const modelsDir = loadConfig({}).LOUPE_MODELS_DIR;

/** onnxruntime-node in this process, no server code between the engine and the sessions. */
function directRunner(): ModelRunner {
  const sessions = new Map<string, OrtSession>();
  return {
    async run(model, feeds) {
      let session = sessions.get(model);
      if (!session) {
        const manifest = ManifestSchema.parse(
          JSON.parse(await readFile(join(modelsDir, 'manifest.json'), 'utf8')),
        );
        const entry = manifest.models.find((m) => m.id === model)!;
        session = await createSession(await readFile(join(modelsDir, entry.file)), { ep: 'cpu' });
        sessions.set(model, session);
      }
      return runSession(session, feeds);
    },
  };
}

async function errorOf(res: Response) {
  return ErrorBodySchema.parse(await res.json()).error;
}

describe('POST /api/edit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      LOUPE_MAX_INPUT_PIXELS: String(300 * 300),
      LOUPE_MAX_OUTPUT_PIXELS: String(1_000_000),
      LOUPE_MAX_UPLOAD_BYTES: String(2 * 1024 * 1024),
      LOUPE_MAX_WEBP_OUTPUT_PIXELS: String(200 * 150),
      // Every image crosses to the child and back through a temp file, the large-image path.
      LOUPE_IPC_INLINE_MAX_BYTES: '0',
    });
  });
  afterAll(() => server.close());

  it('returns pixels identical to the same pipeline run directly on onnxruntime-node', async () => {
    const [w, h] = [560, 150];
    const steps = [
      { op: 'upscale', params: { model: 'slim', scale: 2 } },
      { op: 'sharpen', params: { amount: 0.8 } },
    ];
    const res = await post(server.base, '/api/edit', { image: await png(w, h), steps });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const metadata = EditMetadataSchema.parse(JSON.parse(res.headers.get('x-loupe-metadata')!));
    const served = await decodeRgba(new Uint8Array(await res.arrayBuffer()));

    const parsed = parsePipeline(steps);
    if (!parsed.ok) throw new Error('steps');
    const direct = await executePipeline(
      { width: w, height: h, data: new Uint8Array(pattern(w, h)) },
      parsed.value,
      { runner: directRunner(), tileSize: tileSizeForEp('cpu') },
    );

    expect([served.width, served.height]).toEqual([1120, 300]);
    expect(Buffer.compare(served.data, Buffer.from(direct.image.data))).toBe(0);
    expect(metadata).toMatchObject({
      placement: 'server',
      ep: 'cpu',
      models: ['esrgan-slim-x2', 'filter-sharpen'],
      tiles: direct.tiles,
    });
    expect(metadata.tiles).toBeGreaterThan(2);
    expect(metadata.steps[0]).toEqual({ op: 'upscale', params: { model: 'slim', scale: 2 } });
    expect(metadata.input).toEqual({ width: 560, height: 150, format: 'png' });
    expect(metadata.timings.inferMs).toBeGreaterThan(0);
    // Both temp files (the decoded input and the encoded result) are deleted once answered.
    await expect.poll(() => readdir(server.app.supervisor.tempDir)).toEqual([]);
  });

  it('takes a JSON body with base64 and answers JSON when asked, keeping alpha in WebP', async () => {
    const res = await fetch(`${server.base}/api/edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        image_base64: (await png(32, 16)).toString('base64'),
        op: 'invert',
        format: 'webp',
        quality: 100,
        response: 'json',
      }),
    });
    expect(res.status).toBe(200);
    const body = EditJsonResponseSchema.parse(await res.json());
    expect(body.mime).toBe('image/webp');
    const out = await decodeRgba(Buffer.from(body.image_base64, 'base64'));
    const input = pattern(32, 16);
    // Lossless-ish at q100 is not exact for WebP; alpha must survive and colours be inverted.
    expect(out.data[3]).toBe(input[3]);
    expect(Math.abs(out.data[0]! - (255 - input[0]!))).toBeLessThanOrEqual(8);
    expect(body.metadata.output).toEqual({ width: 32, height: 16, format: 'webp' });
  });

  it('queues concurrent edits on one worker instead of refusing them', async () => {
    // Regression: a worker stayed "idle" until its run message was sent, so a burst of
    // requests was dispatched to the same worker and all but one failed with INTERNAL.
    const sizes = [
      [24, 16],
      [16, 24],
      [20, 20],
      [12, 30],
      [30, 12],
      [8, 8],
    ] as const;
    const responses = await Promise.all(
      sizes.map(async ([w, h]) =>
        post(server.base, '/api/edit', { image: await png(w, h), op: 'invert' }),
      ),
    );
    const outputs = await Promise.all(
      responses.map(async (res) => {
        expect(res.status).toBe(200);
        return decodeRgba(Buffer.from(await res.arrayBuffer()));
      }),
    );
    outputs.forEach((out, i) => {
      const [w, h] = sizes[i]!;
      expect([out.width, out.height]).toEqual([w, h]);
      expect(out.data[0]).toBe(255 - pattern(w, h)[0]!);
    });
  });

  it('applies EXIF orientation before editing', async () => {
    const jpeg = await sharp(pattern(40, 20), { raw: { width: 40, height: 20, channels: 4 } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const res = await post(server.base, '/api/edit', {
      image: jpeg,
      op: 'grayscale',
      format: 'jpeg',
    });
    expect(res.status).toBe(200);
    const out = await decodeRgba(new Uint8Array(await res.arrayBuffer()));
    expect([out.width, out.height]).toEqual([20, 40]);
  });

  it('encodes at the compression level asked for, on /api/edit and /api/jobs: same pixels, other bytes', async () => {
    const [w, h] = [160, 90];
    const image = await png(w, h);
    const steps = [{ op: 'upscale', params: { model: 'slim', scale: 2 } }];
    const edited: Record<string, Buffer> = {};
    for (const compression of COMPRESSION_LEVELS) {
      const res = await post(server.base, '/api/edit', { image, steps, compression });
      expect(res.status, compression).toBe(200);
      edited[compression] = Buffer.from(await res.arrayBuffer());
    }
    const pixels = await decodeRgba(edited.fast!);
    expect([pixels.width, pixels.height]).toEqual([2 * w, 2 * h]);
    for (const compression of COMPRESSION_LEVELS)
      expect(Buffer.compare((await decodeRgba(edited[compression]!)).data, pixels.data)).toBe(0);
    // Had the level been lost on the way to the child, the three files would be one.
    expect(new Set(Object.values(edited).map((b) => b.toString('base64'))).size).toBe(3);
    // Left out, a result this size gets the default for small results: `fast`.
    const byDefault = await post(server.base, '/api/edit', { image, steps });
    expect(Buffer.compare(Buffer.from(await byDefault.arrayBuffer()), edited.fast!)).toBe(0);

    // The JSON body of /api/jobs carries it to the same encoder.
    const created = await fetch(`${server.base}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image_base64: image.toString('base64'), steps, compression: 'small' }),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const events = await readEvents(`${server.base}/api/jobs/${id}/events`);
    expect(events.at(-1)?.event).toBe('completed');
    const result = await fetch(`${server.base}/api/jobs/${id}/result`);
    expect(Buffer.compare(Buffer.from(await result.arrayBuffer()), edited.small!)).toBe(0);
  });

  it('400 INVALID_PARAMS naming `compression` for a level that does not exist, in either body', async () => {
    const multipart = await post(server.base, '/api/edit', {
      image: await png(8, 8),
      op: 'invert',
      compression: 'maximum',
    });
    expect(multipart.status).toBe(400);
    const error = await errorOf(multipart);
    expect(error.code).toBe('INVALID_PARAMS');
    expect(error.fields?.map((f) => f.path)).toEqual(['compression']);
    const json = await fetch(`${server.base}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        image_base64: (await png(8, 8)).toString('base64'),
        op: 'invert',
        compression: 9,
      }),
    });
    expect(json.status).toBe(400);
    expect((await errorOf(json)).fields?.map((f) => f.path)).toEqual(['body.compression']);
  });

  it('400 INVALID_PARAMS with field paths', async () => {
    const res = await post(server.base, '/api/edit', {
      image: await png(8, 8),
      op: 'upscale',
      params: { scale: 5, colour: 1 },
    });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('INVALID_PARAMS');
    expect(error.fields?.map((f) => f.path)).toContain('params.scale');
  });

  it('runs geometry (crop, turn, flip, straighten, resize) with no model, the same bytes as the engine in this process', async () => {
    const [w, h] = [90, 70];
    const steps = [
      { op: 'crop', params: { x: 7, y: 5, width: 61, height: 48 } },
      { op: 'rotate', params: { angle: 90 } },
      { op: 'flip', params: { axis: 'vertical' } },
      { op: 'straighten', params: { angle: -3.7, interpolation: 'bicubic', fit: 'expand' } },
      { op: 'resize', params: { mode: 'size', width: 101, kernel: 'lanczos3' } },
    ];
    const res = await post(server.base, '/api/edit', { image: await png(w, h), steps });
    expect(res.status).toBe(200);
    const metadata = EditMetadataSchema.parse(JSON.parse(res.headers.get('x-loupe-metadata')!));
    const served = await decodeRgba(new Uint8Array(await res.arrayBuffer()));

    const parsed = parsePipeline(steps);
    if (!parsed.ok) throw new Error('steps');
    const noModels: ModelRunner = {
      run: (model) => Promise.reject(new Error(`geometry ran a model: ${model}`)),
    };
    const direct = await executePipeline(
      { width: w, height: h, data: new Uint8Array(pattern(w, h)) },
      parsed.value,
      { runner: noModels },
    );
    expect([served.width, served.height]).toEqual([direct.image.width, direct.image.height]);
    expect(served.width).toBe(101);
    expect(Buffer.compare(served.data, Buffer.from(direct.image.data))).toBe(0);
    expect(metadata.tiles).toBe(0);
    expect(metadata.models).toEqual([]);
  });

  it('400 INVALID_PARAMS naming the field for a crop outside the picture it gets, before decoding', async () => {
    const single = await post(server.base, '/api/edit', {
      image: await png(40, 30),
      op: 'crop',
      params: { x: 40, y: 10, width: 0, height: 25 },
    });
    expect(single.status).toBe(400);
    const one = await errorOf(single);
    expect(one.code).toBe('INVALID_PARAMS');
    expect(one.fields).toEqual([
      { path: 'params.x', message: 'must be below the image width 40' },
      { path: 'params.height', message: 'y + height is 35, past the image height 30' },
    ]);

    // Fits the upload, not the 20×15 the resize before it leaves.
    const chained = await post(server.base, '/api/edit', {
      image: await png(40, 30),
      steps: [
        { op: 'resize', params: { scale: 0.5 } },
        { op: 'crop', params: { x: 0, y: 0, width: 30, height: 10 } },
      ],
    });
    expect(chained.status).toBe(400);
    const error = await errorOf(chained);
    expect(error.fields?.map((f) => f.path)).toEqual(['steps.1.params.width']);
    expect(error.message).toContain('40×30');
  });

  it('400 INVALID_PARAMS for geometry params outside their ranges', async () => {
    const res = await post(server.base, '/api/edit', {
      image: await png(8, 8),
      steps: [
        { op: 'straighten', params: { angle: 50 } },
        { op: 'rotate', params: { angle: 45 } },
        { op: 'resize', params: { kernel: 'cubic', scale: 0 } },
        { op: 'crop', params: { x: -1, width: 2.5 } },
      ],
    });
    expect(res.status).toBe(400);
    const paths = (await errorOf(res)).fields?.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'steps.0.params.angle',
        'steps.1.params.angle',
        'steps.2.params.kernel',
        'steps.2.params.scale',
        'steps.3.params.x',
        'steps.3.params.width',
      ]),
    );
  });

  it('400 INVALID_REQUEST without op or steps, and for a JSON body without the image', async () => {
    const res = await post(server.base, '/api/edit', { image: await png(8, 8) });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('INVALID_REQUEST');
    const json = await fetch(`${server.base}/api/edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'invert' }),
    });
    expect(json.status).toBe(400);
    const error = await errorOf(json);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.fields?.some((f) => f.path.includes('image_base64'))).toBe(true);
  });

  it('415 for content that is not an allowed image, whatever its name says', async () => {
    for (const bytes of [
      Buffer.from('hello, this is plain text and not a picture'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'),
    ]) {
      const res = await post(server.base, '/api/edit', { image: bytes, op: 'invert' });
      expect(res.status).toBe(415);
      expect((await errorOf(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('400 IMAGE_CORRUPT for a truncated file', async () => {
    const whole = await png(120, 120);
    const res = await post(server.base, '/api/edit', {
      image: whole.subarray(0, Math.floor(whole.length * 0.6)),
      op: 'invert',
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('IMAGE_CORRUPT');
  });

  it('413 IMAGE_TOO_LARGE from the declared size, 413 PAYLOAD_TOO_LARGE from the upload size', async () => {
    const big = await post(server.base, '/api/edit', { image: await png(400, 300), op: 'invert' });
    expect(big.status).toBe(413);
    expect((await errorOf(big)).code).toBe('IMAGE_TOO_LARGE');
    const huge = await post(server.base, '/api/edit', {
      image: Buffer.alloc(3 * 1024 * 1024, 7),
      op: 'invert',
    });
    expect(huge.status).toBe(413);
    expect((await errorOf(huge)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('422 OUTPUT_TOO_LARGE before any work when a step would exceed the output limit', async () => {
    const res = await post(server.base, '/api/edit', {
      image: await png(200, 150),
      op: 'upscale',
      params: { scale: 8 },
    });
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('OUTPUT_TOO_LARGE');
    expect(error.message).toContain('1600×1200');
    expect(
      server.app.supervisor.residency().find((m) => m.id === 'esrgan-slim-x8')?.counters.loads,
    ).toBe(0);
  });

  it('422 OUTPUT_TOO_LARGE naming `format` when a WebP result would exceed its own limit', async () => {
    const request = async (format: string) =>
      post(server.base, '/api/edit', {
        image: await png(200, 150),
        op: 'upscale',
        params: { scale: 2 },
        format,
      });
    const webp = await request('webp');
    expect(webp.status).toBe(422);
    const error = await errorOf(webp);
    expect(error).toMatchObject({ code: 'OUTPUT_TOO_LARGE', fields: [{ path: 'format' }] });
    expect(error.message).toContain('400×300');
    expect((await request('png')).status).toBe(200);
  });

  it('404 NOT_FOUND in the one error shape', async () => {
    const res = await fetch(`${server.base}/api/jobs/does-not-exist`);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('NOT_FOUND');
  });
});

describe('a corrupted model file', () => {
  let server: TestServer;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loupe-models-'));
    await copyFile(join(modelsDir, 'manifest.json'), join(dir, 'manifest.json'));
    const bytes = await readFile(join(modelsDir, 'filter-color-matrix.onnx'));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    await writeFile(join(dir, 'filter-color-matrix.onnx'), bytes);
    server = await startServer({ LOUPE_MODELS_DIR: dir });
  });
  afterAll(() => server.close());

  it('fails with 503 MODEL_UNAVAILABLE naming the file and the fix', async () => {
    const res = await post(server.base, '/api/edit', { image: await png(8, 8), op: 'invert' });
    expect(res.status).toBe(503);
    const error = await errorOf(res);
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.message).toContain('filter-color-matrix.onnx');
    expect(error.message).toContain('pnpm models');
  });
});
