import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EditJsonResponseSchema,
  ErrorBodySchema,
  GenerateResponseSchema,
  GpuStatusSchema,
  JobSchema,
  METADATA_HEADER,
  ModelsResponseSchema,
  PREVIEW_STEP_HEADER,
  RESULT_COUNT_HEADER,
  EditMetadataSchema,
  type JobEvent,
} from '@loupe/shared';
import { createLoupeClient, LoupeApiError } from '@loupe/client';
import { readPngText } from '@loupe/runtime-node/image-codec';
// Tiny random-weight pipelines from the model tools' generator, written once per generator version.
import { tinyPipelineFixtures } from '../../../tools/models/src/diffusion/fixtures';
import { decodeRgba, png, readEvents, startServer, type TestServer } from './support/server';

const errorOf = async (res: Response) => ErrorBodySchema.parse(await res.json()).error;

/**
 * Issue #13 end to end over real HTTP: the generative ops on the tiny pipelines (written at test
 * setup into the folder that becomes LOUPE_DIFFUSION_DIR), through /api/edit, /api/jobs with
 * SSE previews, /generate, and cancel mid-run. One worker, so the queue is observable.
 */
describe('generative ops over HTTP', () => {
  const fixtures = tinyPipelineFixtures();
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      LOUPE_DIFFUSION_DIR: fixtures.root,
      LOUPE_WORKERS: '1',
      // A cancelled run must stop between steps on its own; the kill after the grace never comes.
      LOUPE_CANCEL_GRACE_S: '120',
    });
  });
  afterAll(() => server.close());

  const json = (path: string, body: unknown) =>
    fetch(`${server.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const multipart = (
    path: string,
    fields: Record<string, unknown>,
    image?: Uint8Array,
    mask?: Uint8Array,
  ) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields))
      form.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    if (image) form.set('image', new Blob([image]), 'upload.png');
    if (mask) form.set('mask', new Blob([mask]), 'mask.png');
    return fetch(`${server.base}${path}`, { method: 'POST', body: form });
  };

  it('generate through /api/edit with no image: the native size, the seed it ran with', async () => {
    const res = await multipart('/api/edit', {
      op: 'generate',
      params: { model: 'optimum-fp32', prompt: 'a red fox', steps: 3 },
    });
    expect(res.status).toBe(200);
    const metadata = EditMetadataSchema.parse(JSON.parse(res.headers.get(METADATA_HEADER)!));
    const out = await decodeRgba(new Uint8Array(await res.arrayBuffer()));
    expect([out.width, out.height]).toEqual([64, 64]);
    expect(new Set(out.data).size).toBeGreaterThan(8);
    expect(metadata.generation).toMatchObject({ model: 'optimum-fp32', steps: 3, width: 64 });
    expect(metadata.generation?.seeds).toHaveLength(1);
    // What ran is what the job was queued with: the size resolved before queueing.
    expect(metadata.steps[0]?.params).toMatchObject({ width: 64, height: 64 });
    expect(metadata.input).toEqual({ width: 0, height: 0 });
  });

  it('img2img and instruct through /api/edit (JSON body) keep the input size', async () => {
    const image = (await png(40, 32)).toString('base64');
    for (const [op, model] of [
      ['img2img', 'optimum-fp32'],
      ['instruct', 'optimum-instruct'],
    ] as const) {
      const res = await json('/api/edit', {
        op,
        params: { model, prompt: 'make it snow', steps: 2, seed: 11 },
        image_base64: image,
        response: 'json',
      });
      expect(res.status, op).toBe(200);
      const body = EditJsonResponseSchema.parse(await res.json());
      const out = await decodeRgba(Buffer.from(body.image_base64, 'base64'));
      expect([op, out.width, out.height]).toEqual([op, 40, 32]);
      expect(body.metadata.generation?.seeds).toEqual([11]);
    }
  });

  it('inpaint through /api/jobs with a mask: outside the (blurred) mask every pixel is the input', async () => {
    const [w, h] = [64, 48];
    const input = await png(w, h);
    // White on the left half: repaint it; keep the right half.
    const maskRgba = Buffer.alloc(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        maskRgba.fill(x < w / 2 ? 255 : 0, 4 * (y * w + x), 4 * (y * w + x) + 3);
    for (let i = 3; i < maskRgba.length; i += 4) maskRgba[i] = 255;
    const mask = await png(w, h, maskRgba);
    for (const model of ['optimum-inpaint', 'optimum-fp32']) {
      const res = await multipart(
        '/api/edit',
        { op: 'inpaint', params: { model, prompt: 'grass', steps: 2, seed: 4, maskBlur: 2 } },
        input,
        mask,
      );
      expect(res.status, model).toBe(200);
      const out = await decodeRgba(new Uint8Array(await res.arrayBuffer()));
      const original = await decodeRgba(input);
      let changedLeft = 0;
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const i = 4 * (y * w + x);
          const same = [0, 1, 2, 3].every((c) => out.data[i + c] === original.data[i + c]);
          if (x >= w / 2 + 6) expect(same, `${model} ${x},${y}`).toBe(true);
          if (x < w / 2 - 6 && !same) changedLeft++;
        }
      expect(changedLeft, model).toBeGreaterThan(((w / 2 - 6) * h) / 2);
    }
    // Without the mask it is refused before any work, naming the field.
    const bare = await multipart(
      '/api/edit',
      { op: 'inpaint', params: { model: 'optimum-inpaint', prompt: 'grass' } },
      input,
    );
    expect(bare.status).toBe(400);
    expect((await errorOf(bare)).fields?.[0]?.path).toBe('mask');
  });

  it('count > 1: every picture over /api/jobs (?index=k) and /api/edit JSON, each PNG with its own seed in `parameters`', async () => {
    const params = { model: 'optimum-fp32', prompt: 'a red fox', steps: 2, seed: 7, count: 3 };
    const loupe = createLoupeClient({ baseUrl: server.base });
    const { id } = await loupe.createJob(null, { op: 'generate', params });
    for await (const _ of loupe.jobEvents(id)) {
      /* until the terminal event */
    }
    const job = await loupe.job(id);
    expect(job).toMatchObject({ state: 'succeeded', resultCount: 3 });
    expect(job.metadata?.generation?.seeds).toEqual([7, 8, 9]);
    const pictures = await Promise.all(
      [0, 1, 2].map(
        async (index) => new Uint8Array(await (await loupe.jobResult(id, { index })).arrayBuffer()),
      ),
    );
    const texts = await Promise.all(pictures.map((p) => readPngText(p)));
    expect(texts.map((t) => /Seed: (\d+)/.exec(t.texts[0]?.text ?? '')?.[1])).toEqual([
      '7',
      '8',
      '9',
    ]);
    expect(texts[1]!.texts[0]).toMatchObject({ keyword: 'parameters' });
    expect(texts[1]!.texts[0]!.text).toMatch(
      /^a red fox\nSteps: 2, Sampler: .*Size: 64x64, Model hash: [0-9a-f]{10}, Model: optimum-fp32/,
    );
    // Three seeds, three different pictures.
    const pixels = await Promise.all(pictures.map((p) => decodeRgba(p)));
    expect(Buffer.compare(Buffer.from(pixels[0]!.data), Buffer.from(pixels[1]!.data))).not.toBe(0);
    expect(Buffer.compare(Buffer.from(pixels[1]!.data), Buffer.from(pixels[2]!.data))).not.toBe(0);
    const past = await fetch(`${server.base}/api/jobs/${id}/result?index=3`);
    expect(past.status).toBe(404);
    expect((await errorOf(past)).message).toContain('3 pictures: index 3');
    expect((await fetch(`${server.base}/api/jobs/${id}/result?index=-1`)).status).toBe(400);

    // The same request answered at once: the JSON carries all three, the binary one the first.
    const res = await json('/api/edit', { op: 'generate', params, response: 'json' });
    const body = EditJsonResponseSchema.parse(await res.json());
    expect(body.images).toHaveLength(3);
    expect(body.images![0]).toBe(body.image_base64);
    const again = await Promise.all(body.images!.map((b) => decodeRgba(Buffer.from(b, 'base64'))));
    again.forEach((p, k) =>
      expect(Buffer.from(p.data).equals(Buffer.from(pixels[k]!.data)), `picture ${k}`).toBe(true),
    );
    const binary = await multipart('/api/edit', { op: 'generate', params });
    expect(binary.headers.get(RESULT_COUNT_HEADER)).toBe('3');
  });

  it('refuses a folder that cannot run the op, or is unknown, naming `model`', async () => {
    const image = (await png(64, 64)).toString('base64');
    const wrong = await json('/api/edit', {
      op: 'instruct',
      params: { model: 'optimum-fp32', prompt: 'x' },
      image_base64: image,
    });
    expect(wrong.status).toBe(400);
    const error = await errorOf(wrong);
    expect(error.fields?.[0]).toMatchObject({ path: 'model' });
    expect(error.fields?.[0]?.message).toContain('cannot run instruct');
    const unknown = await json('/api/jobs', {
      steps: [{ op: 'generate', params: { model: 'nope', prompt: 'x' } }],
    });
    expect((await errorOf(unknown)).fields?.[0]).toMatchObject({
      path: 'steps.0.params.model',
      message: expect.stringContaining("no diffusion model 'nope'"),
    });
  });

  it('streams distinct previews before completed over SSE, and serves the latest one', async () => {
    const created = await json('/api/jobs', {
      op: 'generate',
      params: { model: 'optimum-fp32', prompt: 'a lighthouse', steps: 6, seed: 5 },
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const events = await readEvents(`${server.base}/api/jobs/${id}/events`);
    const types = events.map((e) => e.data.type);
    expect(types.at(-1)).toBe('completed');
    const previews = events.flatMap((e) =>
      e.data.type === 'preview' ? [e.data as Extract<JobEvent, { type: 'preview' }>] : [],
    );
    // A late subscriber may have missed some, but never all: the latest is replayed on connect.
    expect(previews.length).toBeGreaterThan(1);
    expect(new Set(previews.map((p) => p.image)).size).toBeGreaterThan(1);
    expect(previews.every((p) => p.total === 6 && p.width === 8 && p.height === 8)).toBe(true);
    expect(previews.every((p) => p.image.startsWith('data:image/jpeg;base64,'))).toBe(true);
    // Previews carry no SSE id: Last-Event-ID resumes from the job's own history.
    expect(events.filter((e) => e.data.type === 'preview').every((e) => e.id === '')).toBe(true);
    const progress = events.flatMap((e) => (e.data.type === 'progress' ? [e.data.progress] : []));
    expect(progress.at(-1)).toMatchObject({ done: 6, total: 6, unit: 'step' });
    expect(progress.at(-1)?.etaMs).toBeDefined();

    const latest = await fetch(`${server.base}/api/jobs/${id}/preview`);
    expect(latest.status).toBe(200);
    expect(latest.headers.get('content-type')).toBe('image/jpeg');
    expect(latest.headers.get(PREVIEW_STEP_HEADER)).toBe(`${previews.at(-1)!.step}/6`);
    const jpeg = await decodeRgba(new Uint8Array(await latest.arrayBuffer()));
    expect([jpeg.width, jpeg.height]).toEqual([8, 8]);
  });

  it('/generate: same seed, same bytes; no seed, a random one returned; model_version named', async () => {
    const body = {
      prompt: 'a red fox',
      negative_prompt: 'blurry',
      steps: 3,
      seed: 42,
      guidance_scale: 5,
      model: 'optimum-fp32',
    };
    const a = GenerateResponseSchema.parse(await (await json('/generate', body)).json());
    const b = GenerateResponseSchema.parse(await (await json('/generate', body)).json());
    expect(a.image_base64).toBe(b.image_base64);
    expect(a.metadata).toMatchObject({
      prompt: 'a red fox',
      negative_prompt: 'blurry',
      steps: 3,
      width: 64,
      height: 64,
      seed: 42,
      guidance_scale: 5,
    });
    expect(a.metadata.model_version).toMatch(/^optimum-fp32@[0-9a-f]{12}$/);
    expect(a.metadata.generation_time_seconds).toBeGreaterThan(0);
    const other = GenerateResponseSchema.parse(
      await (await json('/generate', { ...body, seed: 43 })).json(),
    );
    expect(other.image_base64).not.toBe(a.image_base64);
    // No seed: a random one, returned. No model: the first usable text-to-image folder listed.
    const random = await json('/generate', {
      prompt: 'a red fox',
      steps: 2,
      width: 64,
      height: 64,
    });
    expect(random.status).toBe(200);
    const r = GenerateResponseSchema.parse(await random.json());
    expect(Number.isInteger(r.metadata.seed)).toBe(true);
    const listed = ModelsResponseSchema.parse(
      await (await fetch(`${server.base}/api/models`)).json(),
    ).diffusion.models;
    const first = listed.find(
      (m) => m.status === 'ready' && m.capabilities.includes('text-to-image'),
    );
    expect(r.metadata.model_version.split('@')[0]).toBe(first?.id);
    const png = Buffer.from(r.image_base64, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('cancel mid-run stops between steps: the next job starts and the child was never killed', async () => {
    const long = await json('/api/jobs', {
      op: 'generate',
      params: { model: 'optimum-fp32', prompt: 'a long one', steps: 150, seed: 1 },
    });
    const { id } = (await long.json()) as { id: string };
    const next = await json('/api/jobs', {
      op: 'generate',
      params: { model: 'optimum-fp32', prompt: 'next', steps: 2, seed: 2 },
    });
    const { id: nextId } = (await next.json()) as { id: string };
    // Wait for a step of the long job to be done, on its own event stream.
    const res = await fetch(`${server.base}/api/jobs/${id}/events`);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: progress')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    await reader.cancel();
    const cancelled = JobSchema.parse(
      await (await fetch(`${server.base}/api/jobs/${id}`, { method: 'DELETE' })).json(),
    );
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.progress!.done).toBeLessThan(150);
    const nextEvents = await readEvents(`${server.base}/api/jobs/${nextId}/events`);
    expect(nextEvents.map((e) => e.data.type)).toContain('started');
    expect(nextEvents.at(-1)?.data.type).toBe('completed');
    const gpu = GpuStatusSchema.parse(await (await fetch(`${server.base}/api/gpu/status`)).json());
    expect(gpu.workers[0]?.restarts).toBe(0);
    // The folder is one model in the status, its parts loaded once and kept for the next run.
    const folder = gpu.models.find((m) => m.id === 'diffusion/optimum-fp32');
    expect(folder).toMatchObject({ residency: 'device', inUse: 0, counters: { loads: 1 } });
    expect(folder?.timings?.lastLoadMs).toBeGreaterThan(0);
    // Memory per part: each loaded part holds its weights' bytes, as the folder listing gives them.
    const listing = ModelsResponseSchema.parse(
      await (await fetch(`${server.base}/api/models`)).json(),
    ).diffusion.models.find((m) => m.id === 'optimum-fp32');
    if (listing?.status !== 'ready') throw new Error('optimum-fp32 is not listed as ready');
    const parts = Object.fromEntries((folder?.parts ?? []).map((p) => [p.part, p]));
    for (const part of ['text_encoder', 'unet', 'vae_decoder'] as const) {
      expect(parts[part], part).toMatchObject({ residency: 'device', inUse: 0 });
      expect(parts[part]?.bytes, part).toBe(listing.parts[part].bytes);
      expect(parts[part]?.bytes, part).toBeGreaterThan(0);
    }
  });

  it('the typed client: edit with no image, preview events and jobPreview, generate', async () => {
    const loupe = createLoupeClient({ baseUrl: server.base });
    const { image, metadata } = await loupe.edit(null, {
      op: 'generate',
      params: { model: 'optimum-fp32', prompt: 'a fox', steps: 2, seed: 3 },
    });
    expect(image.size).toBeGreaterThan(0);
    expect(metadata.generation?.seeds).toEqual([3]);
    const job = await loupe.createJob(null, {
      op: 'generate',
      params: { model: 'optimum-fp32', prompt: 'a fox', steps: 4, seed: 3 },
    });
    const seen: string[] = [];
    for await (const event of loupe.jobEvents(job.id)) seen.push(event.type);
    expect(seen).toContain('preview');
    const preview = await loupe.jobPreview(job.id);
    expect([preview.total, preview.image.type]).toEqual([4, 'image/jpeg']);
    expect(preview.step).toBeGreaterThan(1);
    const made = await loupe.generate({
      prompt: 'a fox',
      steps: 2,
      seed: 3,
      model: 'optimum-fp32',
    });
    expect(made.metadata.seed).toBe(3);
    const refused = await loupe.generate({ prompt: 'a fox', steps: 0 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LoupeApiError);
    expect((refused as LoupeApiError).fields?.[0]?.path).toBe('body.steps');
  });
});

describe('LOUPE_OFFLOAD_AFTER_JOB=1 with a diffusion folder', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      LOUPE_DIFFUSION_DIR: tinyPipelineFixtures().root,
      LOUPE_OFFLOAD_AFTER_JOB: '1',
      // 64² fits exactly: the folder's native size is resolved before the limit is checked.
      LOUPE_MAX_OUTPUT_PIXELS: String(64 * 64),
    });
  });
  afterAll(() => server.close());

  it('offloads the folder after each job, and the next job reloads its parts', async () => {
    const generate = async () => {
      const res = await fetch(`${server.base}/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'a fox', steps: 2, seed: 1, model: 'optimum-fp32' }),
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const gpu = GpuStatusSchema.parse(
        await (await fetch(`${server.base}/api/gpu/status`)).json(),
      );
      return gpu.models.find((m) => m.id === 'diffusion/optimum-fp32');
    };
    expect(await generate()).toMatchObject({
      residency: 'unloaded',
      counters: { loads: 1, offloads: 1, reloads: 0 },
    });
    const second = await generate();
    expect(second).toMatchObject({
      residency: 'unloaded',
      counters: { loads: 1, offloads: 2, reloads: 1 },
    });
    expect(second?.timings?.lastReloadMs).toBeGreaterThan(0);
    expect(second?.parts?.map((p) => p.residency)).not.toContain('device');
  });

  it('checks the output limit on the size the folder resolves, before queueing', async () => {
    const over = await fetch(`${server.base}/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a fox', width: 72, model: 'optimum-fp32' }),
    });
    expect(over.status).toBe(422);
    const error = await errorOf(over);
    expect(error.code).toBe('OUTPUT_TOO_LARGE');
    expect(error.message).toContain('72×64');
  });
});
