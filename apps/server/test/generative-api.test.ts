import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, GpuStatusSchema, type ModelResidency } from '@loupe/shared';
import { png, post, startServer, type TestServer } from './support/server';

const errorOf = async (res: Response) => ErrorBodySchema.parse(await res.json()).error;

/**
 * Issue #13, the parts of the API that need no diffusion model: which requests may leave out
 * the image, the preview endpoint before any preview, /generate's validation, and
 * LOUPE_OFFLOAD_AFTER_JOB with a built-in model. Real server, real children.
 */
describe('generative API without diffusion models', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ LOUPE_OFFLOAD_AFTER_JOB: '1' });
  });
  afterAll(() => server.close());

  const json = (path: string, body: unknown) =>
    fetch(`${server.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const multipart = (path: string, fields: Record<string, string>, image?: Uint8Array) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    if (image) form.set('image', new Blob([image]), 'upload.png');
    return fetch(`${server.base}${path}`, { method: 'POST', body: form });
  };

  it('refuses a missing image for every op that takes one, as before, in both body forms', async () => {
    for (const path of ['/api/edit', '/api/jobs']) {
      const form = await multipart(path, { op: 'invert' });
      expect(form.status).toBe(400);
      const formError = await errorOf(form);
      expect([formError.code, formError.message]).toEqual([
        'INVALID_REQUEST',
        'An image is required',
      ]);
      expect(formError.fields).toEqual([{ path: 'image', message: 'missing or empty' }]);
      const body = await json(path, { op: 'img2img', params: { model: 'x', prompt: 'p' } });
      expect(body.status).toBe(400);
      const bodyError = await errorOf(body);
      expect(bodyError.code).toBe('INVALID_REQUEST');
      expect(bodyError.fields?.map((f) => f.path)).toEqual(['image_base64']);
    }
    // The first step decides: a pipeline starting with an image op needs one too.
    const steps = await multipart('/api/edit', {
      steps: JSON.stringify([{ op: 'invert' }, { op: 'blur' }]),
    });
    expect((await errorOf(steps)).fields?.[0]?.path).toBe('image');
  });

  it('refuses an image given to generate with a 400 that says to leave it out', async () => {
    const image = await png(8, 8);
    const res = await multipart(
      '/api/edit',
      { op: 'generate', params: JSON.stringify({ model: 'm', prompt: 'a fox' }) },
      image,
    );
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toContain('takes no input image');
    expect(error.fields).toEqual([{ path: 'image', message: 'generate takes no input image' }]);
    const b64 = await json('/api/jobs', {
      op: 'generate',
      params: { model: 'm', prompt: 'a fox' },
      image_base64: image.toString('base64'),
    });
    expect((await errorOf(b64)).fields?.[0]?.path).toBe('image_base64');
  });

  it('takes generate with no image, and names `model` and the fix when no diffusion model is configured', async () => {
    for (const res of [
      await multipart('/api/edit', {
        op: 'generate',
        params: JSON.stringify({ model: 'sd15', prompt: 'a fox' }),
      }),
      await json('/api/jobs', { op: 'generate', params: { model: 'sd15', prompt: 'a fox' } }),
    ]) {
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe('INVALID_PARAMS');
      expect(error.fields?.[0]?.path).toBe('model');
      expect(error.fields?.[0]?.message).toContain('LOUPE_DIFFUSION_DIR');
    }
    // Its own params are still checked first, by name.
    const bad = await json('/api/edit', {
      op: 'generate',
      params: { model: 'sd15', prompt: 'a fox', steps: 500 },
    });
    expect((await errorOf(bad)).fields).toEqual([
      { path: 'params.steps', message: 'steps must be at most 150' },
    ]);
  });

  it('answers 404 for the preview of a job that has none (yet, or ever)', async () => {
    const created = await post(server.base, '/api/jobs', {
      image: await png(16, 16),
      op: 'invert',
    });
    const { id } = (await created.json()) as { id: string };
    const preview = await fetch(`${server.base}/api/jobs/${id}/preview`);
    expect(preview.status).toBe(404);
    expect((await errorOf(preview)).message).toContain('no preview');
    expect((await fetch(`${server.base}/api/jobs/nope/preview`)).status).toBe(404);
  });

  it('validates /generate in its own field names, and says how to configure a model', async () => {
    const cases: [unknown, string, string][] = [
      [{}, 'body.prompt', 'prompt is required'],
      [{ prompt: 'x', steps: 151 }, 'body.steps', 'steps must be at most 150'],
      [{ prompt: 'x', steps: 2.5 }, 'body.steps', 'steps must be a whole number from 1 to 150'],
      [{ prompt: 'x', width: 100 }, 'body.width', 'width must be a multiple of 8'],
      [{ prompt: 'x', height: 4096 }, 'body.height', 'height must be at most 2048'],
      [{ prompt: 'x', seed: -1 }, 'body.seed', 'seed must be at least 0'],
      [
        { prompt: 'x', guidance_scale: 31 },
        'body.guidance_scale',
        'guidance_scale must be at most 30',
      ],
      [{ prompt: 'x', scheduler: 'pndm' }, 'body.scheduler', 'scheduler must be one of'],
      [{ prompt: 'x', negative_prompt: 3 }, 'body.negative_prompt', 'negative_prompt must be text'],
      [{ prompt: 'x', cfg: 7 }, 'body.cfg', 'unknown field'],
    ];
    for (const [body, path, message] of cases) {
      const res = await json('/generate', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = await errorOf(res);
      expect(
        error.fields?.map((f) => f.path),
        JSON.stringify(body),
      ).toEqual([path]);
      expect(error.fields?.[0]?.message).toContain(message);
    }
    const none = await json('/generate', { prompt: 'a lighthouse' });
    expect(none.status).toBe(503);
    const error = await errorOf(none);
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.message).toContain('LOUPE_DIFFUSION_DIR');
    expect(error.message).toContain('docs/diffusion-models.md');
    const named = await json('/generate', { prompt: 'a lighthouse', model: 'sd15' });
    expect(named.status).toBe(400);
    expect((await errorOf(named)).fields?.[0]?.path).toBe('model');
  });

  it('LOUPE_OFFLOAD_AFTER_JOB=1: every job offloads its model before answering; the next reloads it', async () => {
    const model = 'esrgan-slim-x2';
    const status = async (): Promise<ModelResidency> => {
      const res = await fetch(`${server.base}/api/gpu/status`);
      const m = GpuStatusSchema.parse(await res.json()).models.find((x) => x.id === model);
      if (!m) throw new Error(`${model} not in /api/gpu/status`);
      return m;
    };
    const before = await status();
    const upscale = async () => {
      const res = await post(server.base, '/api/edit', {
        image: await png(24, 16),
        op: 'upscale',
        params: { model: 'slim', scale: 2 },
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    };
    await upscale();
    const first = await status();
    expect(first.residency).toBe('ram');
    expect(first.counters.offloads).toBe(before.counters.offloads + 1);
    expect(first.timings?.lastLoadMs).toBeGreaterThan(0);
    await upscale();
    const second = await status();
    expect(second.residency).toBe('ram');
    expect(second.counters).toMatchObject({
      offloads: before.counters.offloads + 2,
      reloads: before.counters.reloads + 1,
      loads: first.counters.loads,
    });
    expect(second.timings?.lastReloadMs).toBeGreaterThan(0);
  });
});
